#!/bin/sh
# Make sure headless Chromium and its driver are installed for the browser tests;
# install Debian's packages when allowed. Never fails: without a browser those
# tests are skipped, and say why.
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing Chromium for the browser tests (apt-get install -y chromium chromium-driver) ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq chromium chromium-driver >/dev/null && exit 0
fi
echo "No headless Chromium: the browser tests will be skipped. To run them:" \
     "sudo apt-get install -y chromium chromium-driver" >&2
exit 0

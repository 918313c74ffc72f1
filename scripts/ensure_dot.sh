#!/bin/sh
# Make sure Graphviz's `dot` program is installed; install it when allowed,
# otherwise stop with the exact command to run.
command -v dot >/dev/null 2>&1 && exit 0
if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        echo "Installing Graphviz (apt-get install -y graphviz) ..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null && exit 0
    fi
    echo "Graphviz's 'dot' program is missing. Install it with: sudo apt-get install -y graphviz" >&2
    exit 1
fi
if command -v brew >/dev/null 2>&1; then
    echo "Installing Graphviz (brew install graphviz) ..."
    brew install graphviz && exit 0
fi
echo "Graphviz's 'dot' program is missing. Install it with your package manager:" >&2
echo "  apt-get install graphviz | brew install graphviz | conda install graphviz" >&2
exit 1

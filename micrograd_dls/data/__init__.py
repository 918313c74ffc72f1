"""Built-in data sets (the course's planar flower, moons, circles, blobs) and the
loader for the course's image files in HDF5."""

from .h5 import ImageSet, flatten_images, load_h5
from .planar import DATASETS, blobs, circles, moons, planar_flower

__all__ = [
    "DATASETS",
    "ImageSet",
    "blobs",
    "circles",
    "flatten_images",
    "load_h5",
    "moons",
    "planar_flower",
]

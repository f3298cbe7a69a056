#!/usr/bin/env python3
"""``python3 sdk-python/build.py …``: the build command, runnable without
installing the SDK (same as ``python3 -m weft_sdk.build``)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from weft_sdk.build import main  # noqa: E402

main()

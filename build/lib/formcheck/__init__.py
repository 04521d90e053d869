"""formcheck: rep-by-rep form feedback for hip-strengthening exercises."""

__version__ = "0.1.0"

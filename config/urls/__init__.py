"""One URLconf per deployable; ``common`` holds the routes all three serve."""

"""The `federal` deployable's home page and page layout."""

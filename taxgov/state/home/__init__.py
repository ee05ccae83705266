"""The `state` deployable's home page and page layout."""

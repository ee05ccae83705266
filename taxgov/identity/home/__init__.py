"""The `identity` deployable's home page and page layout."""

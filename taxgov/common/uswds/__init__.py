"""The U.S. Web Design System, once: page layout, form rendering and components."""

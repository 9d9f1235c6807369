"""The enterprise page at /enterprises/<credit_code>, for members only."""

"""The "what is due" pages: duties of the citizen, their household and their enterprises."""

"""The inbox area: inbox page, notification settings, calendar feed, unsubscribe link."""

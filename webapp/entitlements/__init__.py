"""The entitlements feature: what a person or an enterprise is owed (免申即享), the facts
they told us (questionnaire), the 您可以享受 widget, and the eligibility gate's words.

Public face for other features:
- ``service.for_household`` / ``service.for_enterprise`` → ``EntitlementsView``
- ``facts.household_with_facts`` / ``facts.apply_to_enterprise``: subjects with stored facts
- ``words``: conditions, checks and entitlements in the user's language
"""

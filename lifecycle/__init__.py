"""Lifepage's pure domain package: life events, subjects, statutory dates, duty rules, stages.

No Flask, no ORM, no clock: ``today`` is always passed in.

Public API:
- ``lifecycle.events``: ``LifeEvent``, ``CITIZEN_EVENTS``, ``ENTERPRISE_EVENTS``,
  ``EVENTS_BY_KEY``.
- ``lifecycle.subjects``: ``Document``, ``Person``, ``Permit``, ``Enterprise``.
- ``lifecycle.dates``: ``add_months``, ``add_years``, ``period_end``, ``age_on``,
  ``is_day_off``, ``postpone_civil``, ``tax_deadline`` → ``Deadline`` (each takes the
  published holiday ``calendars``).
- ``lifecycle.holidays``: ``HolidayCalendar``, ``make_calendar``, ``calendars_of``,
  ``calendar_in_force`` → ``CalendarInForce`` (published / package / fallback).
- ``lifecycle.identifiers``: ID numbers, credit codes, ``legal_form`` → ``LegalForm``.
- ``lifecycle.params``: ``LocalParams``, ``DEFAULT_PARAMS``, ``PermitLead``.
- ``lifecycle.rules``: ``RULES`` (key → ``RuleInfo``), ``Duty``, ``person_duties``,
  ``enterprise_duties``; docs/rules.md lists every rule with its article.
- ``lifecycle.stage``: ``infer_stage``, ``timeline``, ``enterprise_stage``,
  ``enterprise_timeline``, ``Stage``, ``StageFact``, ``TimelineEntry``.
"""

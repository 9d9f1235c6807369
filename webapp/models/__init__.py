"""SQLAlchemy models, one module per area. Importing this package registers every table."""

from ..entitlements.models import ProfileFact  # noqa: E402  (the entitlements feature's table)
from .accounts import Account, ApiToken
from .base import Base, utcnow
from .catalog import (
    Bundle,
    BundleService,
    Department,
    LifeEvent,
    Material,
    Service,
    ServiceMaterial,
    service_life_event,
)
from .citizens import CitizenProfile, HouseholdMember
from .duties import Duty
from .enterprises import Enterprise, Membership, Permit
from .interactions import Interaction
from .notifications import InboxItem, Notification, NotificationSettings, ReminderPolicy
from .ops import AuditEntry, Heartbeat, LocalWindow, TaxDeadlineOverride
from .page import HiddenService, PageLayout, PinnedService
from .privacy import AccessLog, Consent, TagPreference
from .recommend import ModelVersion, RecRule, RuleVersion, Setting

__all__ = [
    "AccessLog",
    "Account",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Bundle",
    "BundleService",
    "CitizenProfile",
    "Consent",
    "Department",
    "Duty",
    "Enterprise",
    "Heartbeat",
    "HiddenService",
    "HouseholdMember",
    "InboxItem",
    "Interaction",
    "LifeEvent",
    "LocalWindow",
    "Material",
    "Membership",
    "ModelVersion",
    "Notification",
    "NotificationSettings",
    "PageLayout",
    "Permit",
    "PinnedService",
    "ProfileFact",
    "RecRule",
    "ReminderPolicy",
    "RuleVersion",
    "Service",
    "ServiceMaterial",
    "Setting",
    "TagPreference",
    "TaxDeadlineOverride",
    "service_life_event",
    "utcnow",
]

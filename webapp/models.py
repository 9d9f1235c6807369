"""SQLAlchemy models, one module per area. Importing this package registers every table."""

from webapp.accounts.models import Account, ApiToken
from webapp.catalog.models import (
    Bundle,
    BundleService,
    BundleStepDone,
    Department,
    LifeEvent,
    Material,
    Service,
    ServiceMaterial,
    service_life_event,
)
from webapp.core.model_base import Base, utcnow
from webapp.core.models import AuditEntry, Heartbeat
from webapp.duties.models import Duty, LocalWindow, PublishedHolidays, TaxDeadlineOverride
from webapp.enterprise.models import (
    ClaimFailure,
    Enterprise,
    EnterpriseClaim,
    Invitation,
    Membership,
    Permit,
)
from webapp.entitlements.models import ProfileFact
from webapp.family.models import FamilyInvitation, FamilyLink, Mandate, ReminderShare
from webapp.page.models import HiddenService, PageLayout, PinnedService
from webapp.people.models import CitizenProfile, HouseholdMember
from webapp.privacy.models import AccessLog, Consent, TagPreference
from webapp.recommend.interaction_models import Interaction
from webapp.recommend.models import ModelVersion, RecRule, RuleVersion, Setting
from webapp.reminders.models import (
    InboxItem,
    Notification,
    NotificationSettings,
    ReminderLeadChoice,
    ReminderPolicy,
)

__all__ = [
    "AccessLog",
    "Account",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Bundle",
    "BundleService",
    "BundleStepDone",
    "CitizenProfile",
    "Consent",
    "Department",
    "Duty",
    "ClaimFailure",
    "Enterprise",
    "EnterpriseClaim",
    "FamilyInvitation",
    "FamilyLink",
    "Heartbeat",
    "HiddenService",
    "HouseholdMember",
    "Invitation",
    "InboxItem",
    "Interaction",
    "LifeEvent",
    "LocalWindow",
    "Mandate",
    "Material",
    "Membership",
    "ModelVersion",
    "Notification",
    "NotificationSettings",
    "PageLayout",
    "Permit",
    "ReminderShare",
    "PublishedHolidays",
    "PinnedService",
    "ProfileFact",
    "RecRule",
    "ReminderLeadChoice",
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

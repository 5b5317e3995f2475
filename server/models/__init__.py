"""SQLAlchemy models: importing this package registers every table on Base.metadata."""
from server.db import Base
from server.models.accounts import (
    Account,
    AccountKind,
    AccountStatus,
    ActivationCode,
    Device,
    LegalRepresentation,
    LoginChallenge,
    LoginThrottle,
    RecoveryCode,
    Token,
)
from server.models.audit import AuditEntry
from server.models.catalogue import AppGrant, AppToken, AuthorizationCode, CatalogueApp, ConsentRequest
from server.models.delivery import DeliveredMessage
from server.models.privacy import AccessBlock, EmergencyAccess, PrivacySettings
from server.models.record import BinaryBlob, Resource, ResourceVersion

__all__ = [
    "Base",
    "Account",
    "AccountKind",
    "AccountStatus",
    "ActivationCode",
    "Device",
    "LegalRepresentation",
    "LoginChallenge",
    "LoginThrottle",
    "RecoveryCode",
    "Token",
    "DeliveredMessage",
    "BinaryBlob",
    "Resource",
    "ResourceVersion",
    "AuditEntry",
    "AccessBlock",
    "EmergencyAccess",
    "PrivacySettings",
    "CatalogueApp",
    "AppGrant",
    "AppToken",
    "AuthorizationCode",
    "ConsentRequest",
]

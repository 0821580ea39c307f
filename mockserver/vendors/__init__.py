"""The vendor registry: adding a vendor is one module plus one line here."""

from __future__ import annotations

from mockserver.core.vendor import VendorSpec
from mockserver.vendors.postageapp import VENDOR as POSTAGEAPP
from mockserver.vendors.qonversion import VENDOR as QONVERSION
from mockserver.vendors.sendkit import VENDOR as SENDKIT
from mockserver.vendors.talkdesk import VENDOR as TALKDESK

REGISTRY: dict[str, VendorSpec] = {
    QONVERSION.name: QONVERSION,
    TALKDESK.name: TALKDESK,
    SENDKIT.name: SENDKIT,
    POSTAGEAPP.name: POSTAGEAPP,
}

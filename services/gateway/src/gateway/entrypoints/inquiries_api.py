"""反響 (inquiries) in the public API: list and search, CSV, registration by hand, media;
the inquiry service's operations, relayed."""

from gateway.entrypoints.relays import ServiceRelays

INQUIRY = ServiceRelays("inquiry", tags=["反響"])
router = INQUIRY.router

INQUIRY.relay("GET", "/inquiries")
INQUIRY.relay(
    "GET", "/inquiries.csv", admin=True, download=True
)  # streamed: never held in the gateway
INQUIRY.relay("POST", "/inquiries")
INQUIRY.relay("GET", "/inquiries/{inquiry_id}")
INQUIRY.relay("GET", "/media")
INQUIRY.relay("POST", "/media", admin=True)
INQUIRY.relay("PUT", "/media/{medium_id}", admin=True)
INQUIRY.relay("POST", "/media/{medium_id}/retire", admin=True)
INQUIRY.relay("POST", "/media/{medium_id}/restore", admin=True)

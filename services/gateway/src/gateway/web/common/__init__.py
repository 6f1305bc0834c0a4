"""What every screen of the web client shares: the one template environment, the signed-in
staff as a page dependency, the answers a page gives (back with a message, not found, a
service that cannot answer) and the Japanese notation filters."""

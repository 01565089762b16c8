"""HTTP adapters: decode with msgspec, call a service, wrap the answer in the envelope."""

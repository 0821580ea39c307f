"""The vendor-neutral core: clock, scheduler, errors, spec, dispatch and control plane.

Nothing in this package imports a vendor; vendors plug in data through `VendorSpec`.
"""

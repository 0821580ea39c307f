"""The conformance suite: checks any implementation of the four APIs against the contract.

Its runner arrives with issue 7; the package exists now so the wheel layout is final.
"""

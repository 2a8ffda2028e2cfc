"""Digital signatures (ký số): PAdES signing with pyHanko, signing credentials, the test CA.

- ``models.SigningCredential``: a certificate and its private key, personal (a leader's) or of an
  organisation (a committee's), from a PKCS#12 file kept encrypted in the database or on a
  PKCS#11 token; with the signature image (a leader's signature, a committee's seal).
- ``services``: ``sign_pdf``, ``sign_document_main`` (leader, then organisation, Decree 30 App. I),
  ``sign_attachment``, ``verify_pdf``, and the credential services.
- ``testca``: the self-made test CA of the demo (``manage.py signing_test_ca``).

See docs/signing.md and docs/decisions/0005-digital-signatures.md.
"""

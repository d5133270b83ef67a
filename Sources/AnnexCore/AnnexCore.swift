// The domain layer (templates, canonical model, rules, jobs) lives here; see README.
@_exported import AnnexIO

// AnnexCore is the domain layer (templates, canonical model, rules, jobs) on top of AnnexIO's
// grids; users of AnnexCore get AnnexIO's types too.
@_exported import AnnexIO

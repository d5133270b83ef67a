/// What `CSVReader.forEachBatch` fills with records and hands over: on a large file it is filled on
/// the parsing thread, so whatever `append` does to a record (copying it, turning it into grid rows)
/// runs there, beside the parsing, and not on the caller's thread.
protocol CSVRecordSink: AnyObject {
    /// Adds record number `ordinal` (0-based, blank lines included), which starts on physical line
    /// `line`. An error stops reading; the records appended before it are still delivered.
    func append(ordinal: Int, line: Int, record: CSVRecord) throws
    /// Whether the batch should be handed over now.
    var isFull: Bool { get }
    var isEmpty: Bool { get }
    func removeAll()
}

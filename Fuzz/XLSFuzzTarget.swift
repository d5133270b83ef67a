#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer entry point for the legacy .xls reader: the input is written to a file (the reader
/// takes a path), opened with `XLSReader`, and every sheet is read to the end. Any error is an
/// expected outcome; a crash, a sanitizer report, a hang or a memory blow-up is a bug.
/// Built by Fuzz/run.sh together with the AnnexIO sources, in one module.
private let inputPath = "/dev/shm/annex-fuzz-\(getpid()).xls"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return 0 }
    var written = 0
    while written < size {
        let count = write(fd, data + written, size - written)
        if count <= 0 { break }
        written += count
    }
    close(fd)
    do {
        let reader = try XLSReader(path: inputPath)
        for index in reader.sheetNames.indices {
            try reader.readRows(at: index) { row in
                for position in 0..<row.count { _ = row[position].text.count }
            }
        }
    } catch {
    }
    return 0
}

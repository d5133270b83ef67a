extension ZipReader {
    /// Like `stream`, with inflate (and CRC-32) on a second thread, so that on two cores the parse of
    /// one chunk overlaps the inflate of the next. Inflate is a third of a sheet read once the cells
    /// are scanned by hand (zlib: ~700 MB/s; scanner and cells: ~350 MB/s), so this takes it off the
    /// critical path. Memory: four chunks of `chunkSize`. Small members are streamed directly.
    func streamConcurrently(_ entry: ZipEntry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard entry.uncompressedSize > UInt64(4 * Self.chunkSize) else { return try stream(entry, body) }
        try BytePipeline.run(
            chunkSize: Self.chunkSize,
            threadFailure: { [path] code in AnnexError(file: path, reason: "无法启动解压线程（错误 \(code)）") },
            produce: { emit in try self.stream(entry, emit) },
            consume: body)
    }
}

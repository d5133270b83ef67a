/// A growable byte buffer without Array's uniqueness and exclusivity checks, for the hot loops of the
/// readers (the text of the cell being read, the bytes of the row being built).
///
/// A value type holding a pointer: the owner calls `deallocate()` once and never copies it.
struct ByteScratch {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    var count = 0

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        guard let source = chunk.baseAddress, chunk.count > 0 else { return }
        if count + chunk.count > capacity { grow(count + chunk.count) }
        copyBytes(from: source.assumingMemoryBound(to: UInt8.self), to: base + count, chunk.count)
        count += chunk.count
    }

    @inline(__always)
    mutating func append(_ chunk: UnsafeBufferPointer<UInt8>) {
        append(UnsafeRawBufferPointer(chunk))
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = byte
        count += 1
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Room for `n` more bytes at the end, to be written and then committed with `count += written`.
    @inline(__always)
    mutating func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if count + n > capacity { grow(count + n) }
        return base + count
    }

    private mutating func grow(_ needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        base = base.reallocated(capacity: newCapacity, keeping: count)
        capacity = newCapacity
    }

    func deallocate() { base.deallocate() }
}

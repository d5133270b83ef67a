/// The shared-string table of a workbook being written: distinct texts, keyed by their exact UTF-8
/// bytes (not by `String` equality, which would merge canonically equivalent texts such as a
/// precomposed and a decomposed “é” and so change what a cell holds).
///
/// Texts live once, back to back, in one arena; an open-addressing hash table finds them. Memory is
/// bounded by `limit` bytes of distinct text: once the arena is full, `index(of:)` answers nil for a
/// text it has not seen, and the writer stores that cell as an inline string instead.
final class XLSXSharedStrings {
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCount = 0
    private var arenaCapacity: Int
    /// Entry i is `arena[starts[i] ..< starts[i + 1]]`.
    private var starts: [Int] = [0]
    private var hashes: [UInt32] = []
    /// Entry index + 1, 0 for an empty slot.
    private var slots: UnsafeMutablePointer<Int32>
    private var slotMask: Int
    private let seed: UInt64
    let limit: Int
    /// Cells that refer to the table (`count` of `<sst>`).
    private(set) var references = 0

    init(limit: Int) {
        self.limit = max(0, limit)
        arenaCapacity = 64 * 1024
        arena = .allocate(capacity: arenaCapacity)
        slotMask = 1023
        slots = .allocate(capacity: slotMask + 1)
        slots.initialize(repeating: 0, count: slotMask + 1)
        // Order of entries never depends on the hash, so a per-process seed keeps output deterministic.
        seed = UInt64.random(in: 0...UInt64.max)
    }

    deinit {
        arena.deallocate()
        slots.deallocate()
    }

    var uniqueCount: Int { hashes.count }

    /// The index of this text, adding it if new; nil when it is new and the table is full.
    @inline(__always)
    func index(of text: UnsafeRawBufferPointer) -> Int? {
        let hash = XLSXSharedStrings.hash(text, seed: seed)
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { break }
            let entry = stored - 1
            if hashes[entry] == tag {
                let start = starts[entry]
                let length = starts[entry + 1] - start
                if length == text.count
                    && (length == 0 || memcmpBytes(arena + start, text.baseAddress!, length)) {
                    references += 1
                    return entry
                }
            }
            slot = (slot + 1) & slotMask
        }
        // New text.
        guard arenaCount + text.count <= limit, hashes.count < Int(Int32.max) - 1 else { return nil }
        if arenaCapacity - arenaCount < text.count { growArena(text.count) }
        if let source = text.baseAddress, text.count > 0 {
            (arena + arenaCount).update(from: source.assumingMemoryBound(to: UInt8.self), count: text.count)
        }
        arenaCount += text.count
        starts.append(arenaCount)
        hashes.append(tag)
        let entry = hashes.count - 1
        slots[slot] = Int32(entry + 1)
        references += 1
        if hashes.count * 2 > slotMask + 1 { growSlots() }
        return entry
    }

    /// The UTF-8 bytes of entry `index`.
    func text(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: arena + starts[index], count: starts[index + 1] - starts[index])
    }

    @inline(__always)
    private func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafeRawPointer, _ length: Int) -> Bool {
        let b = b.assumingMemoryBound(to: UInt8.self)
        var i = 0
        while i + 8 <= length {
            if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < length {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    private func growArena(_ extra: Int) {
        var capacity = arenaCapacity * 2
        while capacity - arenaCount < extra { capacity *= 2 }
        arena = arena.reallocated(capacity: capacity, keeping: arenaCount)
        arenaCapacity = capacity
    }

    private func growSlots() {
        let newMask = (slotMask + 1) * 2 - 1
        let newSlots = UnsafeMutablePointer<Int32>.allocate(capacity: newMask + 1)
        newSlots.initialize(repeating: 0, count: newMask + 1)
        for entry in 0..<hashes.count {
            let hash = XLSXSharedStrings.hash(text(entry), seed: seed)
            var slot = Int(truncatingIfNeeded: hash) & newMask
            while newSlots[slot] != 0 { slot = (slot + 1) & newMask }
            newSlots[slot] = Int32(entry + 1)
        }
        slots.deallocate()
        slots = newSlots
        slotMask = newMask
    }

    /// A 64-bit multiply-xorshift hash over 8-byte words.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = bytes.baseAddress else { return mix(h) }
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let word = (base + i).loadUnaligned(as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < n {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                word |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
        }
        return mix(h)
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 32
        h = h &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return h
    }
}

/// GB18030 → UTF-8, chunk by chunk, with glibc iconv as the authority.
///
/// glibc's iconv decodes GB18030 at about 120 MB/s on Chinese text, which would halve the reader's
/// speed. So the two-byte characters (GBK, all of common Chinese) are looked up in a table that is
/// built once per process *by asking iconv about every two-byte code*, ASCII is copied, and the rare
/// four-byte sequences go to iconv one by one. The result is exactly iconv's, at table speed.
final class GB18030Decoder {
    typealias Stop = IConv.Stop

    private let fourByte: IConv

    init?() {
        guard let converter = IConv(from: "GB18030", to: "UTF-8"), !GB18030Decoder.twoByteTable.isEmpty else {
            return nil
        }
        fourByte = converter
    }

    /// Two-byte codes: lead 0x81...0xFE, trail 0x40...0xFE. The scalar iconv gives, or 0 when iconv
    /// rejects the code (or gives something other than one BMP scalar above ASCII).
    ///
    /// All codes go to iconv in one call, to UTF-32LE, so that code `k` comes back as the 4 bytes at
    /// `4k`; a code iconv rejects is skipped and the call resumed. (One call per code took 2.7 ms per
    /// process, 6 % of reading a 15 MB CSV.) An empty table, which makes the decoder unavailable, if
    /// this iconv does not give one unit per code.
    static let twoByteTable: [UInt16] = {
        guard let converter = IConv(from: "GB18030", to: "UTF-32LE") else { return [] }
        var input: [UInt8] = []
        var slots: [Int] = []
        for lead in 0x81...0xFE {
            for trail in 0x40...0xFE where trail != 0x7F {
                input += [UInt8(lead), UInt8(trail)]
                slots.append((lead - 0x81) * 191 + (trail - 0x40))
            }
        }
        var table = [UInt16](repeating: 0, count: 126 * 191)
        var output = [UInt8](repeating: 0, count: slots.count * 4)
        let complete = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { target -> Bool in
                var code = 0
                while code < slots.count {
                    let result = converter.convert(source.baseAddress! + code * 2, (slots.count - code) * 2,
                                                   into: target.baseAddress! + code * 4, capacity: (slots.count - code) * 4)
                    guard result.consumed % 2 == 0, result.produced == result.consumed * 2 else { return false }
                    let converted = result.consumed / 2
                    for k in code..<(code + converted) {
                        let scalar = target.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self).littleEndian
                        if scalar >= 0x80 && scalar <= 0xFFFF { table[slots[k]] = UInt16(scalar) }
                    }
                    code += converted
                    guard result.stop != .done else { break }
                    // This code is not a GB18030 character (or not a whole one): leave it 0, go on.
                    converter.reset()
                    code += 1
                }
                return true
            }
        }
        return complete ? table : []
    }()

    /// The most UTF-8 bytes `count` GB18030 bytes can become (two bytes → three).
    static func maximumOutput(_ count: Int) -> Int { count + count / 2 + 8 }

    /// Decodes `p[0..<count]` into `output`, which must hold `maximumOutput(count)` bytes. Stops before
    /// an incomplete character at the end (`.incomplete`) or an invalid one (`.invalid`).
    func decode(_ p: UnsafePointer<UInt8>, _ count: Int,
                into output: UnsafeMutablePointer<UInt8>) -> (consumed: Int, produced: Int, stop: Stop) {
        GB18030Decoder.twoByteTable.withUnsafeBufferPointer { table in
            var i = 0
            var o = 0
            while i < count {
                let lead = p[i]
                if lead < 0x80 {
                    copyASCII(p, count, &i, output, &o)
                    continue
                }
                if lead == 0x80 || lead == 0xFF { return (i, o, .invalid) }
                if i &+ 1 == count { return (i, o, .incomplete) }
                let trail = p[i &+ 1]
                if trail >= 0x30 && trail <= 0x39 {
                    if i &+ 4 > count { return (i, o, .incomplete) }
                    let result = fourByte.convert(p + i, 4, into: output + o, capacity: 8)
                    guard result.stop == .done, result.consumed == 4 else {
                        fourByte.reset()
                        return (i, o, .invalid)
                    }
                    i &+= 4
                    o &+= result.produced
                    continue
                }
                guard trail >= 0x40, trail != 0x7F, trail != 0xFF else { return (i, o, .invalid) }
                let scalar = UInt32(table[(Int(lead) &- 0x81) &* 191 &+ Int(trail) &- 0x40])
                if scalar == 0 { return (i, o, .invalid) }
                if scalar < 0x800 {
                    output[o] = UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6)
                    output[o &+ 1] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
                    o &+= 2
                } else {
                    output[o] = UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12)
                    output[o &+ 1] = UInt8(truncatingIfNeeded: 0x80 | (scalar >> 6) & 0x3F)
                    output[o &+ 2] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
                    o &+= 3
                }
                i &+= 2
            }
            return (count, o, .done)
        }
    }
}

/// UTF-8 → GB18030, the inverse of `GB18030Decoder`: ASCII is copied, characters of the Basic
/// Multilingual Plane that GB18030 writes in two bytes come from a table built once per process by
/// asking iconv about every such character, everything else (four-byte codes) goes to iconv.
final class GB18030Encoder {
    typealias Stop = IConv.Stop

    private let converter: IConv

    init?() {
        guard let converter = IConv(from: "UTF-8", to: "GB18030"), !GB18030Encoder.twoByteTable.isEmpty else {
            return nil
        }
        self.converter = converter
    }

    /// BMP scalar → its two-byte GB18030 code (`lead << 8 | trail`), or 0 when iconv writes it otherwise.
    /// Inverted from the decoder's table (which iconv built; the mapping is one to one), so that it costs
    /// microseconds rather than the ~30 ms of asking iconv about every character. A test checks that it
    /// equals `askIConvForTwoByteTable()`.
    static let twoByteTable: [UInt16] = {
        let forward = GB18030Decoder.twoByteTable
        guard !forward.isEmpty else { return [] }
        var table = [UInt16](repeating: 0, count: 0x10000)
        for lead in 0x81...0xFE {
            for trail in 0x40...0xFE where trail != 0x7F {
                let scalar = Int(forward[(lead - 0x81) * 191 + (trail - 0x40)])
                if scalar != 0 && table[scalar] == 0 { table[scalar] = UInt16(lead << 8 | trail) }
            }
        }
        return table
    }()

    /// The same table, built by asking iconv to encode every BMP character.
    static func askIConvForTwoByteTable() -> [UInt16] {
        guard let converter = IConv(from: "UTF-8", to: "GB18030") else { return [] }
        var table = [UInt16](repeating: 0, count: 0x10000)
        var input: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        var output: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
        for value in 0x80...0xFFFF where value < 0xD800 || value > 0xDFFF {
            let length: Int
            if value < 0x800 {
                input = (UInt8(0xC0 | value >> 6), UInt8(0x80 | value & 0x3F), 0, 0)
                length = 2
            } else {
                input = (UInt8(0xE0 | value >> 12), UInt8(0x80 | (value >> 6) & 0x3F), UInt8(0x80 | value & 0x3F), 0)
                length = 3
            }
            table[value] = withUnsafeBytes(of: &input) { source in
                withUnsafeMutableBytes(of: &output) { target in
                    let result = converter.convert(source.baseAddress!, length, into: target.baseAddress!, capacity: 8)
                    guard result.stop == .done, result.produced == 2 else {
                        if result.stop != .done { converter.reset() }
                        return 0
                    }
                    return UInt16(target[0]) << 8 | UInt16(target[1])
                }
            }
        }
        return table
    }

    /// The most GB18030 bytes `count` UTF-8 bytes can become (ASCII one to one; three UTF-8 bytes may
    /// become four), with room for iconv's eight-byte window.
    static func maximumOutput(_ count: Int) -> Int { count * 2 + 16 }

    /// Encodes complete UTF-8 `p[0..<count]` into `output` (room for `maximumOutput(count)` bytes).
    /// Stops at a character GB18030 cannot represent (`.invalid`).
    func encode(_ p: UnsafePointer<UInt8>, _ count: Int,
                into output: UnsafeMutablePointer<UInt8>) -> (consumed: Int, produced: Int, stop: Stop) {
        GB18030Encoder.twoByteTable.withUnsafeBufferPointer { table in
            var i = 0
            var o = 0
            while i < count {
                let lead = p[i]
                if lead < 0x80 {
                    copyASCII(p, count, &i, output, &o)
                    continue
                }
                var code: UInt16 = 0
                let length: Int
                if lead < 0xE0 {
                    length = 2
                    if i &+ 2 <= count {
                        code = table[Int(lead & 0x1F) << 6 | Int(p[i &+ 1] & 0x3F)]
                    }
                } else if lead < 0xF0 {
                    length = 3
                    if i &+ 3 <= count {
                        code = table[Int(lead & 0x0F) << 12 | Int(p[i &+ 1] & 0x3F) << 6 | Int(p[i &+ 2] & 0x3F)]
                    }
                } else {
                    length = 4
                }
                if code != 0 {
                    output[o] = UInt8(truncatingIfNeeded: code >> 8)
                    output[o &+ 1] = UInt8(truncatingIfNeeded: code)
                    o &+= 2
                    i &+= length
                    continue
                }
                let result = converter.convert(p + i, min(length, count &- i), into: output + o, capacity: 8)
                guard result.stop == .done else {
                    converter.reset()
                    return (i, o, .invalid)
                }
                i &+= result.consumed
                o &+= result.produced
            }
            return (count, o, .done)
        }
    }
}

/// Copies the ASCII run at `p[i...]` to `output[o...]` unchanged (ASCII is the same in UTF-8 and
/// GB18030), eight bytes at a time while it lasts; advances both positions.
@inline(__always)
private func copyASCII(_ p: UnsafePointer<UInt8>, _ count: Int, _ i: inout Int,
                       _ output: UnsafeMutablePointer<UInt8>, _ o: inout Int) {
    let source = UnsafeRawPointer(p)
    let target = UnsafeMutableRawPointer(output)
    while i &+ 8 <= count {
        let word = source.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        if word & 0x8080_8080_8080_8080 != 0 { break }
        target.storeBytes(of: word, toByteOffset: o, as: UInt64.self)
        i &+= 8
        o &+= 8
    }
    while i < count, p[i] < 0x80 {
        output[o] = p[i]
        i &+= 1
        o &+= 1
    }
}

import Glibc

/// A streaming glibc iconv conversion. One instance converts one stream: an incomplete multibyte
/// sequence at the end of an input buffer is reported (`.incomplete`) so the caller can carry those
/// bytes over to the front of the next buffer.
final class IConv {
    enum Stop: Equatable {
        /// All input was converted.
        case done
        /// The output buffer is full; call again with the rest of the input.
        case outputFull
        /// The input ends inside a multibyte sequence (iconv's EINVAL); carry the rest over.
        case incomplete
        /// The input holds a byte sequence that is not valid in the source encoding (EILSEQ).
        case invalid
    }

    private let descriptor: iconv_t

    /// Nil when this glibc cannot convert between the two encodings.
    init?(from source: String, to target: String) {
        let cd = iconv_open(target, source)
        guard let cd, Int(bitPattern: cd) != -1 else { return nil }
        descriptor = cd
    }

    deinit { iconv_close(descriptor) }

    /// Converts from `input` into `output` until one of them runs out or an error stops it.
    @inline(__always)
    func convert(_ input: UnsafeRawPointer, _ inputCount: Int,
                 into output: UnsafeMutableRawPointer, capacity: Int) -> (consumed: Int, produced: Int, stop: Stop) {
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: input.assumingMemoryBound(to: CChar.self))
        var inLeft = inputCount
        var outPointer: UnsafeMutablePointer<CChar>? = output.assumingMemoryBound(to: CChar.self)
        var outLeft = capacity
        let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
        let code = errno
        let consumed = inputCount - inLeft
        let produced = capacity - outLeft
        if result != -1 { return (consumed, produced, .done) }
        switch code {
        case E2BIG: return (consumed, produced, .outputFull)
        case EINVAL: return (consumed, produced, .incomplete)
        default: return (consumed, produced, .invalid)
        }
    }

    /// Returns the converter to its initial shift state (after an error, before reuse).
    func reset() {
        _ = iconv(descriptor, nil, nil, nil, nil)
    }
}

/// A seeded xorshift64 generator, so that the random tests check the same inputs on every run.
final class SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A number in `0..<bound`.
    func next(_ bound: Int) -> Int {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Int(state % UInt64(bound))
    }

    /// Up to `maximumLength` bytes, each from `alphabet`.
    func bytes(from alphabet: [UInt8], maximumLength: Int) -> [UInt8] {
        (0..<next(maximumLength + 1)).map { _ in alphabet[next(alphabet.count)] }
    }
}

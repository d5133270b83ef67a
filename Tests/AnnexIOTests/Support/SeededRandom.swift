/// A seeded xorshift64 generator, so that the random tests check the same inputs on every run (and a
/// failure found once is found again). Also a `RandomNumberGenerator` for `Int.random(in:using:)`.
final class SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }

    /// A number in `0..<bound`.
    func next(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// Up to `maximumLength` bytes, each from `alphabet`.
    func bytes(from alphabet: [UInt8], maximumLength: Int) -> [UInt8] {
        (0..<next(maximumLength + 1)).map { _ in alphabet[next(alphabet.count)] }
    }
}

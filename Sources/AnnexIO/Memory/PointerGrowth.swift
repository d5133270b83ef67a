extension UnsafeMutablePointer {
    /// A new allocation of `capacity` elements that starts with this one's first `count`, which it
    /// replaces: this allocation is deallocated. The growth step of the readers' and writers' raw
    /// buffers, which keep their own counts and capacities.
    func reallocated(capacity: Int, keeping count: Int) -> UnsafeMutablePointer<Pointee> {
        let grown = UnsafeMutablePointer<Pointee>.allocate(capacity: capacity)
        grown.moveInitialize(from: self, count: count)
        deallocate()
        return grown
    }
}

import Glibc

/// Where an IP address points, for the rule that a public server may not redirect into a private network.
enum AddressScope: Equatable {
    case publicInternet
    case loopback
    case linkLocal
    /// RFC 1918, RFC 6598 shared space, IPv6 unique-local, unspecified, multicast and reserved ranges.
    case privateNetwork

    /// Classifies a numeric address as libcurl reports it (`127.0.0.1`, `::1`); anything unparsable is
    /// treated as private, so an odd string can never open the door.
    init(numericAddress: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, numericAddress, &v4) == 1 {
            self = withUnsafeBytes(of: &v4) { Self(ipv4: Array($0)) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, numericAddress, &v6) == 1 {
            self = withUnsafeBytes(of: &v6) { Self(ipv6: Array($0)) }
            return
        }
        self = .privateNetwork
    }

    private init(ipv4 b: [UInt8]) {
        switch (b[0], b[1]) {
        case (127, _): self = .loopback
        case (169, 254): self = .linkLocal
        case (10, _), (0, _), (172, 16...31), (192, 168), (100, 64...127): self = .privateNetwork
        case (224..., _): self = .privateNetwork  // multicast, reserved, broadcast
        default: self = .publicInternet
        }
    }

    private init(ipv6 b: [UInt8]) {
        let prefixIsZero = { (count: Int) in b[0..<count].allSatisfy { $0 == 0 } }
        if prefixIsZero(15) && b[15] == 1 {
            self = .loopback
        } else if prefixIsZero(16) {
            self = .privateNetwork
        } else if prefixIsZero(10) && b[10] == 0xFF && b[11] == 0xFF {
            self = Self(ipv4: Array(b[12..<16]))  // IPv4-mapped ::ffff:a.b.c.d
        } else if b[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] {
            self = Self(ipv4: Array(b[12..<16]))  // NAT64 64:ff9b::/96 embeds the IPv4 target
        } else if b[0] == 0xFE && (b[1] & 0xC0) == 0x80 {
            self = .linkLocal
        } else if (b[0] & 0xFE) == 0xFC || b[0] == 0xFF {
            self = .privateNetwork  // unique-local fc00::/7, multicast ff00::/8
        } else {
            self = .publicInternet
        }
    }

    var isPublic: Bool { self == .publicInternet }

    /// Whether a hop may go to an address in `next`.
    ///
    /// The address a feed is listed at is always allowed (the operator chose it); a redirect may not lead
    /// from a public address into a non-public one unless the request allows it, so a public server cannot
    /// make feedwatch probe the machine's own services or its LAN. Private-to-private stays allowed, so an
    /// intranet feed may redirect within the intranet.
    static func permits(
        _ next: AddressScope, after previous: AddressScope?, isRedirect: Bool, allowsPrivate: Bool
    ) -> Bool {
        !isRedirect || allowsPrivate || previous?.isPublic != true || next.isPublic
    }

    /// How the scope reads in an error message.
    var name: String {
        switch self {
        case .publicInternet: "public"
        case .loopback: "loopback"
        case .linkLocal: "link-local"
        case .privateNetwork: "private"
        }
    }
}

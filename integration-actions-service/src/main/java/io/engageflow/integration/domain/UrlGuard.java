package io.engageflow.integration.domain;

import io.engageflow.integration.config.IntegrationSettings;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one gate every outside call passes, HttpRequest's URL and each connected app's {@code baseUrl} alike, when an
 * app is saved and again at each call: only http(s), only ports 80 and 443, and only public addresses, unless
 * {@value #ALLOWED_HOSTS} lists the host (see README, "The URL guard").
 *
 * <p>The host is parsed here, not by a resolver that accepts more than it shows: an IPv4 address must be written
 * a.b.c.d (decimal, hex, octal and short forms such as {@code 2130706433}, {@code 0x7f000001}, {@code 0177.0.0.1},
 * {@code 127.1} are parsed, named in the refusal and refused), an IPv6 literal may not carry an IPv4 address in the
 * mapped form ({@code ::ffff:a.b.c.d}), and a name is resolved once: every address it resolves to is checked, and
 * the call is made to the first of them ({@link Target#address()}), so a second DNS answer cannot move it.
 *
 * <p>Refused addresses: unspecified, loopback, private, carrier-grade NAT, link-local, unique-local, site-local,
 * multicast, broadcast and reserved ranges; IPv4-compatible IPv6; Teredo; NAT64 and 6to4 addresses whose embedded
 * IPv4 address is refused; the local-use NAT64 prefix; cloud metadata addresses and names, which no allow-list entry
 * lets through.
 */
@ApplicationScoped
@Startup // a bad allow-list entry stops the service at start, not at its first call
public class UrlGuard {
    public static final String ALLOWED_HOSTS = "engageflow.http-request.allowed-hosts";

    /** A URL that may be called, and the address to call it at. */
    public record Target(URI uri, String host, int port, boolean ssl, InetAddress address) {
        /** What goes on the request line: the raw path ("/" when empty) and query. */
        public String pathAndQuery() {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        }
    }

    /** Why a URL may not be called; the message is meant for the step's error and the API's answer. */
    public static class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The URL's host name does not resolve (now): refused, though another try may find it. */
    public static final class Unresolvable extends Refused {
        Unresolvable(String message) {
            super(message);
        }
    }

    /** Resolves a host name (not a literal) to its addresses; blocking. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String name) throws UnknownHostException;
    }

    /** One allow-list entry: a name or an address, and the ports it opens (null: every port). */
    record Entry(String name, InetAddress address, Set<Integer> ports) {
        boolean allows(int port) {
            return ports == null || ports.contains(port);
        }
    }

    private static final Set<Integer> STANDARD_PORTS = Set.of(80, 443);
    /** Lower-case ASCII labels of letters, digits, _ and inner -, separated by dots. */
    private static final Pattern NAME = Pattern.compile(
            "[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");
    /** Names of cloud metadata services (GCP; AWS's instance-data alias); never allowed. */
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog",
            "metadata", "instance-data", "instance-data.ec2.internal");
    /** AWS/GCP/Azure/OpenStack, AWS ECS task credentials, EKS pod identity, Alibaba Cloud. */
    private static final Set<Integer> METADATA_V4 = Set.of(0xA9FEA9FE, 0xA9FEAA02, 0xA9FEAA17, 0x646464C8);

    private final List<Entry> entries;
    private final Resolver resolver;

    @Inject
    public UrlGuard(IntegrationSettings settings) {
        this(settings.httpRequest().allowedHosts());
    }

    public UrlGuard(Optional<List<String>> allowedHosts) {
        this(allowedHosts.orElse(List.of()), InetAddress::getAllByName);
    }

    UrlGuard(List<String> allowedHosts, Resolver resolver) {
        List<Entry> parsed = new ArrayList<>();
        for (String raw : allowedHosts) {
            if (raw != null && !raw.isBlank()) {
                parsed.add(entry(raw));
            }
        }
        this.entries = List.copyOf(parsed);
        this.resolver = resolver;
    }

    /** The target to call, or {@link Refused} saying why not. Resolves DNS: call it off the event loop. */
    public Target check(String url) {
        if (url == null || url.isBlank()) {
            throw new Refused("no URL");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new Refused("not a valid URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("only http and https URLs are allowed");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new Refused("the URL has no host");
        }
        if (authority.contains("@")) {
            throw new Refused("credentials in the URL are not allowed; use headers");
        }
        boolean ssl = scheme.equals("https");
        String hostPart;
        String portPart = null;
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            if (end < 0) {
                throw new Refused("not a valid URL: " + url);
            }
            hostPart = authority.substring(0, end + 1);
            String rest = authority.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new Refused("not a valid URL: " + url);
                }
                portPart = rest.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            hostPart = colon < 0 ? authority : authority.substring(0, colon);
            portPart = colon < 0 ? null : authority.substring(colon + 1);
        }
        int port = portPart == null || portPart.isEmpty() ? (ssl ? 443 : 80) : port(portPart);
        if (port < 0) {
            throw new Refused("port " + portPart + " is not a valid port");
        }
        Host host = host(hostPart);
        InetAddress[] addresses = host.address != null ? new InetAddress[] {host.address} : resolve(host.text);
        for (InetAddress a : addresses) {
            String why = metadata(a) ? "a cloud metadata address" : forbidden(a);
            if (why == null) {
                continue;
            }
            String what = "host " + host.shown + (host.address != null ? " is " : " resolves to "
                    + a.getHostAddress() + ", ") + why;
            if (metadata(a)) {
                throw new Refused(what + ", which is never allowed");
            }
            if (!listed(a, port)) {
                throw new Refused(what + "; only " + ALLOWED_HOSTS + " can allow it"
                        + (host.address != null ? "" : " (by its address)"));
            }
        }
        InetAddress address = addresses[0];
        if (!STANDARD_PORTS.contains(port) && !listed(host.text, port) && !listed(address, port)) {
            throw new Refused("port " + port + " is not allowed: only 80 and 443, unless " + ALLOWED_HOSTS
                    + " lists " + host.shown + ":" + port);
        }
        if (host.address == null && host.text.endsWith(".internal") && !listed(host.text, port)) {
            throw new Refused("host " + host.text + " is an internal name; only " + ALLOWED_HOSTS
                    + " can allow it");
        }
        return new Target(uri, host.text, port, ssl, address);
    }

    /**
     * A URL's host: a name (address null) or a literal address; text is its canonical form (what allow-list entries
     * are matched against and the Host header carries), shown how refusals name it.
     */
    private record Host(String text, InetAddress address, String shown) {
    }

    private static Host host(String raw) {
        if (raw.isEmpty()) {
            throw new Refused("the URL has no host");
        }
        if (raw.contains("%")) {
            throw new Refused("host " + raw + " is percent-encoded or carries a zone; write it plainly");
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.startsWith("[")) {
            InetAddress a = ipv6(lower.substring(1, lower.length() - 1));
            if (a == null) {
                throw new Refused("host " + raw + " is not a valid IPv6 address");
            }
            if (a instanceof Inet4Address) { // ::ffff:a.b.c.d, which Java turns into the IPv4 address
                throw new Refused("host " + raw + " is the IPv4 address " + a.getHostAddress() + describe(a)
                        + " written as IPv6; write it as " + a.getHostAddress());
            }
            return new Host(a.getHostAddress(), a, raw);
        }
        String name = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
        if (!NAME.matcher(name).matches()) {
            throw new Refused("host " + raw + " is not a valid host name");
        }
        String last = name.substring(name.lastIndexOf('.') + 1);
        if (NUMERIC_LABEL.matcher(last).matches()) {
            Integer v4 = ipv4(name);
            if (v4 == null) {
                throw new Refused("host " + raw + " is not a valid IPv4 address");
            }
            InetAddress a = v4(v4);
            if (!a.getHostAddress().equals(raw)) {
                throw new Refused("host " + raw + " is the IPv4 address " + a.getHostAddress() + describe(a)
                        + " in another notation; write it as " + a.getHostAddress());
            }
            return new Host(a.getHostAddress(), a, raw);
        }
        if (METADATA_NAMES.contains(name)) {
            throw new Refused("host " + name + " is a cloud metadata service, which is never allowed");
        }
        return new Host(name, null, name);
    }

    /** " (loopback …)" or "" when the address is public: what the refusal of a non-canonical form says it is. */
    private static String describe(InetAddress a) {
        String why = metadata(a) ? "a cloud metadata address" : forbidden(a);
        return why == null ? "" : " (" + why + ")";
    }

    private InetAddress[] resolve(String name) {
        try {
            InetAddress[] all = resolver.resolve(name);
            if (all == null || all.length == 0) {
                throw new UnknownHostException(name);
            }
            return all;
        } catch (UnknownHostException e) {
            throw new Unresolvable("host " + name + " does not resolve");
        }
    }

    private boolean listed(InetAddress address, int port) {
        return entries.stream().anyMatch(e -> address.equals(e.address()) && e.allows(port));
    }

    private boolean listed(String name, int port) {
        return entries.stream().anyMatch(e -> name.equals(e.name()) && e.allows(port));
    }

    /** 1 to 65535, or -1. */
    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int p = Integer.parseInt(text);
        return p >= 1 && p <= 65535 ? p : -1;
    }

    /**
     * An allow-list entry: {@code host}, {@code host:port} or {@code host:*}, the host a name, an IPv4 address
     * (a.b.c.d) or an IPv6 address (bracketed when it has a port). A bare address opens every port of that address,
     * a bare name ports 80 and 443 (which it has anyway: listing a name matters with a port, or for a *.internal
     * name). Metadata hosts cannot be listed.
     */
    static Entry entry(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        String hostText;
        String portText = null;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0 || (end + 1 < s.length() && s.charAt(end + 1) != ':')) {
                throw badEntry(raw, "an IPv6 address is written [address] or [address]:port");
            }
            hostText = s.substring(1, end);
            portText = end + 1 < s.length() ? s.substring(end + 2) : null;
        } else if (s.indexOf(':') != s.lastIndexOf(':')) {
            hostText = s; // a bare IPv6 address
        } else {
            int colon = s.indexOf(':');
            hostText = colon < 0 ? s : s.substring(0, colon);
            portText = colon < 0 ? null : s.substring(colon + 1);
        }
        InetAddress address;
        String name = null;
        if (hostText.contains(":")) {
            address = ipv6(hostText);
            if (address == null) {
                throw badEntry(raw, "not a valid IPv6 address");
            }
        } else {
            if (hostText.endsWith(".")) {
                hostText = hostText.substring(0, hostText.length() - 1);
            }
            if (!NAME.matcher(hostText).matches()) {
                throw badEntry(raw, "not a host name or address");
            }
            String last = hostText.substring(hostText.lastIndexOf('.') + 1);
            if (NUMERIC_LABEL.matcher(last).matches()) {
                Integer v4 = ipv4(hostText);
                if (v4 == null || !v4(v4).getHostAddress().equals(hostText)) {
                    throw badEntry(raw, "write an IPv4 address as a.b.c.d");
                }
                address = v4(v4);
            } else {
                address = null;
                name = hostText;
                if (METADATA_NAMES.contains(name)) {
                    throw badEntry(raw, "a cloud metadata service is never allowed");
                }
            }
        }
        if (address != null && metadata(address)) {
            throw badEntry(raw, "a cloud metadata address is never allowed");
        }
        Set<Integer> ports;
        if (portText == null) {
            ports = address != null ? null : STANDARD_PORTS;
        } else if (portText.equals("*")) {
            ports = null;
        } else {
            int p = port(portText);
            if (p < 0) {
                throw badEntry(raw, "the port must be 1 to 65535 or *");
            }
            ports = Set.of(p);
        }
        return new Entry(name, address, ports);
    }

    private static IllegalArgumentException badEntry(String raw, String why) {
        return new IllegalArgumentException(ALLOWED_HOSTS + " entry '" + raw.trim() + "': " + why);
    }

    /**
     * An IPv4 address in any notation inet_aton takes: one to four parts separated by dots, each decimal, octal
     * (leading 0) or hex (0x), the last filling the remaining bytes; null when it is not one.
     */
    static Integer ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            BigInteger n;
            try {
                if (p.startsWith("0x")) {
                    n = p.length() == 2 ? BigInteger.ZERO : new BigInteger(p.substring(2), 16);
                } else if (p.length() > 1 && p.startsWith("0")) {
                    n = new BigInteger(p.substring(1), 8);
                } else {
                    n = new BigInteger(p);
                }
            } catch (NumberFormatException e) {
                return null;
            }
            if (n.signum() < 0) {
                return null;
            }
            boolean last = i == parts.length - 1;
            int bytes = last ? 4 - i : 1;
            if (n.bitLength() > bytes * 8) {
                return null;
            }
            value = last ? (value << (bytes * 8)) | n.longValue() : (value << 8) | n.longValue();
        }
        return (int) value;
    }

    private static InetAddress v4(int v) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8),
                    (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** An IPv6 literal (no brackets, no zone), never looked up; null when it is not one. */
    private static InetAddress ipv6(String text) {
        if (text.isEmpty() || !text.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
                || c == ':' || c == '.')) {
            return null;
        }
        try {
            return InetAddress.getByName("[" + text + "]"); // bracketed: parsed as a literal or refused, no DNS
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether the address is a cloud metadata endpoint, also inside a NAT64, 6to4 or IPv4-mapped address. */
    static boolean metadata(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return METADATA_V4.contains(toInt(b, 0));
        }
        // fd00:ec2::254 and fd00:ec2::23 (AWS's IPv6 metadata and pod identity)
        if (prefix(b, new int[] {0xfd, 0x00, 0x0e, 0xc2}, 32) && zero(b, 4, 14)
                && ((b[14] == 0x02 && b[15] == 0x54) || (b[14] == 0 && b[15] == 0x23))) {
            return true;
        }
        Integer embedded = embeddedV4(b);
        return embedded != null && METADATA_V4.contains(embedded);
    }

    /**
     * Why an address may not be called without being listed (e.g. "a loopback address (127.0.0.0/8)"), or null
     * when it is a public address.
     */
    static String forbidden(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 ? forbiddenV4(toInt(b, 0)) : forbiddenV6(b);
    }

    private static String forbiddenV4(int v) {
        if (v == 0) {
            return "the unspecified address";
        }
        if (v == -1) {
            return "the broadcast address";
        }
        String[][] ranges = {
            {"0.0.0.0", "8", "a 'this network' address"},
            {"10.0.0.0", "8", "a private address"},
            {"100.64.0.0", "10", "a carrier-grade NAT address"},
            {"127.0.0.0", "8", "a loopback address"},
            {"169.254.0.0", "16", "a link-local address"},
            {"172.16.0.0", "12", "a private address"},
            {"192.0.0.0", "24", "a reserved address"},
            {"192.0.2.0", "24", "a documentation address"},
            {"192.88.99.0", "24", "a 6to4 relay address"},
            {"192.168.0.0", "16", "a private address"},
            {"198.18.0.0", "15", "a benchmarking address"},
            {"198.51.100.0", "24", "a documentation address"},
            {"203.0.113.0", "24", "a documentation address"},
            {"224.0.0.0", "4", "a multicast address"},
            {"240.0.0.0", "4", "a reserved address"},
        };
        for (String[] r : ranges) {
            int bits = Integer.parseInt(r[1]);
            int mask = -1 << (32 - bits);
            if ((v & mask) == ipv4(r[0])) {
                return r[2] + " (" + r[0] + "/" + bits + ")";
            }
        }
        return null;
    }

    private static String forbiddenV6(byte[] b) {
        if (zero(b, 0, 16)) {
            return "the unspecified address (::)";
        }
        if (zero(b, 0, 15) && b[15] == 1) {
            return "the loopback address (::1)";
        }
        Integer embedded = embeddedV4(b);
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            String why = forbiddenV4(embedded);
            return why == null ? null : "an IPv4-mapped address of " + v4(embedded).getHostAddress() + ", " + why;
        }
        if (zero(b, 0, 12)) {
            return "an IPv4-compatible address (::a.b.c.d, deprecated)";
        }
        if (prefix(b, new int[] {0x00, 0x64, 0xff, 0x9b}, 32) && zero(b, 4, 12)) {
            String why = forbiddenV4(embedded);
            return why == null ? null : "a NAT64 address of " + v4(embedded).getHostAddress() + ", " + why;
        }
        if (prefix(b, new int[] {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48)) {
            return "a local-use NAT64 address (64:ff9b:1::/48)";
        }
        if (prefix(b, new int[] {0x01, 0x00}, 16) && zero(b, 2, 8)) {
            return "a discard-only address (100::/64)";
        }
        if (prefix(b, new int[] {0x20, 0x01, 0x00, 0x00}, 32)) {
            return "a Teredo address (2001::/32)";
        }
        if (prefix(b, new int[] {0x20, 0x01, 0x0d, 0xb8}, 32)) {
            return "a documentation address (2001:db8::/32)";
        }
        if (prefix(b, new int[] {0x20, 0x02}, 16)) {
            String why = forbiddenV4(embedded);
            return why == null ? null : "a 6to4 address of " + v4(embedded).getHostAddress() + ", " + why;
        }
        if (prefix(b, new int[] {0xfc}, 7)) {
            return "a unique-local address (fc00::/7)";
        }
        if (prefix(b, new int[] {0xfe, 0x80}, 10)) {
            return "a link-local address (fe80::/10)";
        }
        if (prefix(b, new int[] {0xfe, 0xc0}, 10)) {
            return "a site-local address (fec0::/10, deprecated)";
        }
        if (prefix(b, new int[] {0xff}, 8)) {
            return "a multicast address (ff00::/8)";
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-mapped/compatible (last 4 bytes), NAT64 (last 4) or 6to4 (bytes 2-5) one. */
    private static Integer embeddedV4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        if (prefix(b, new int[] {0x20, 0x02}, 16)) {
            return toInt(b, 2);
        }
        if (zero(b, 0, 10) || (prefix(b, new int[] {0x00, 0x64, 0xff, 0x9b}, 32) && zero(b, 4, 12))) {
            return toInt(b, 12);
        }
        return null;
    }

    private static boolean prefix(byte[] b, int[] p, int bits) {
        for (int i = 0; i < bits; i += 8) {
            int take = Math.min(8, bits - i);
            int mask = (0xff << (8 - take)) & 0xff;
            if (((b[i / 8] & 0xff) & mask) != (p[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int toInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}

package io.engageflow.integration.domain;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps HttpRequest away from our own network: only http(s) URLs whose host resolves to public addresses, unless
 * the host is on {@code engageflow.http-request.allowed-hosts}. Loopback, private, link-local (which covers cloud
 * metadata at 169.254.169.254), carrier-grade NAT, unique-local IPv6, multicast and unspecified addresses are
 * refused. The request is then sent to the address checked here, so a second DNS answer cannot redirect it.
 */
@ApplicationScoped
public class UrlGuard {
    /** A URL that may be called, and the address to call it at. */
    public record Target(URI uri, String host, int port, boolean ssl, InetAddress address) {
    }

    private final Set<String> allowedHosts;

    public UrlGuard(@ConfigProperty(name = "engageflow.http-request.allowed-hosts")
                    Optional<List<String>> allowedHosts) {
        this.allowedHosts = allowedHosts.orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** The target, or why the URL is refused. Resolves DNS: call it off the event loop. */
    public Object check(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return "not a valid URL: " + url;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "only http and https URLs are allowed";
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return "the URL has no host";
        }
        if (uri.getUserInfo() != null) {
            return "credentials in the URL are not allowed; use headers";
        }
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        boolean allowListed = allowedHosts.contains(bareHost.toLowerCase(Locale.ROOT));
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bareHost);
        } catch (UnknownHostException e) {
            return "host " + host + " does not resolve";
        }
        if (!allowListed) {
            Optional<InetAddress> internal = java.util.Arrays.stream(addresses).filter(UrlGuard::internal).findFirst();
            if (internal.isPresent() || bareHost.toLowerCase(Locale.ROOT).endsWith(".internal")) {
                return "host " + host + " is an internal address" + internal.map(a -> " (" + a.getHostAddress() + ")")
                        .orElse("") + "; add it to engageflow.http-request.allowed-hosts to allow it";
            }
        }
        boolean ssl = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
        return new Target(uri, bareHost, port, ssl, addresses[0]);
    }

    static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second <= 127) || first >= 240;
        }
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        return false;
    }
}

package io.engageflow.integration.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The URL guard on its own, with a resolver that answers from a table (no DNS): each forbidden address form and
 * notation is refused with its reason, public addresses pass, and the allow-list opens exactly what its entries say.
 */
class UrlGuardTest {
    /** Names the fake DNS knows, and what they resolve to. */
    private static final Map<String, List<String>> DNS = Map.of(
            "example.com", List.of("93.184.215.14"),
            "hooks.example", List.of("93.184.215.15"),
            "internal.example", List.of("10.1.2.3"),
            "rebind.example", List.of("93.184.215.14", "127.0.0.1"),
            "dns64.example", List.of("64:ff9b::a9fe:a9fe"),
            "cloud.example", List.of("169.254.169.254"),
            "localhost", List.of("127.0.0.1"));

    private static UrlGuard guard(String... allowed) {
        return new UrlGuard(List.of(allowed), UrlGuardTest::resolve);
    }

    private static UrlGuard guard(Map<String, List<String>> dns, String... allowed) {
        return new UrlGuard(List.of(allowed), name -> {
            List<String> answer = dns.get(name);
            if (answer == null) {
                throw new UnknownHostException(name);
            }
            return answer.stream().map(UrlGuardTest::literal).toArray(InetAddress[]::new);
        });
    }

    private static InetAddress[] resolve(String name) throws UnknownHostException {
        List<String> answer = DNS.get(name);
        if (answer == null) {
            throw new UnknownHostException(name);
        }
        return answer.stream().map(UrlGuardTest::literal).toArray(InetAddress[]::new);
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address.contains(":") ? "[" + address + "]" : address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String refusal(UrlGuard guard, String url) {
        try {
            UrlGuard.Target t = guard.check(url);
            throw new AssertionError(url + " was allowed, to " + t.address().getHostAddress() + ":" + t.port());
        } catch (UrlGuard.Refused e) {
            return e.getMessage();
        }
    }

    /**
     * Every forbidden form, with no allow-list, and the words its refusal must carry. The same URLs with 127.0.0.1
     * listed are below: a listed address does not open its other notations or embeddings.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1/                                | is a loopback address (127.0.0.0/8)",
        "http://127.8.9.10:80/                            | is a loopback address",
        "http://2130706433/                               | is the IPv4 address 127.0.0.1 (a loopback address (127.0.0.0/8)) in another notation",
        "http://0x7f000001/                               | is the IPv4 address 127.0.0.1 (a loopback address",
        "http://0177.0.0.1/                               | is the IPv4 address 127.0.0.1 (a loopback address",
        "http://127.1/                                    | is the IPv4 address 127.0.0.1 (a loopback address",
        "http://0x7f.0.0.1/                               | is the IPv4 address 127.0.0.1 (a loopback address",
        "http://0/                                        | is the IPv4 address 0.0.0.0 (the unspecified address)",
        "http://017700000001/                             | is the IPv4 address 127.0.0.1",
        "http://3232235777/                               | is the IPv4 address 192.168.1.1 (a private address",
        "http://[::1]/                                    | is the loopback address (::1)",
        "http://[::]/                                     | is the unspecified address (::)",
        "http://[::127.0.0.1]/                            | is an IPv4-compatible address",
        "http://[::a9fe:a9fe]/                            | is a cloud metadata address, which is never allowed",
        "http://[::ffff:127.0.0.1]/                       | is the IPv4 address 127.0.0.1 (a loopback address (127.0.0.0/8)) written as IPv6",
        "http://[::ffff:7f00:1]/                          | is the IPv4 address 127.0.0.1",
        "http://[64:ff9b::7f00:1]/                        | is a NAT64 address of 127.0.0.1, a loopback address",
        "http://[64:ff9b::10.0.0.1]/                      | is a NAT64 address of 10.0.0.1, a private address",
        "http://[64:ff9b::a9fe:a9fe]/                     | is a cloud metadata address, which is never allowed",
        "http://[64:ff9b:1::808:808]/                     | is a local-use NAT64 address (64:ff9b:1::/48)",
        "http://[2002:7f00:1::1]/                         | is a 6to4 address of 127.0.0.1, a loopback address",
        "http://[2002:c0a8:101::]/                        | is a 6to4 address of 192.168.1.1, a private address",
        "http://[2002:a9fe:a9fe::]/                       | is a cloud metadata address",
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/   | is a Teredo address (2001::/32)",
        "http://[fd00:ec2::23]/                           | is a cloud metadata address",
        "http://[fe80::1]/                                | is a link-local address (fe80::/10)",
        "http://[fc00::1]/                                | is a unique-local address (fc00::/7)",
        "http://[fd12:3456::1]/                           | is a unique-local address (fc00::/7)",
        "http://[fd00:ec2::254]/                          | is a cloud metadata address, which is never allowed",
        "http://[fec0::1]/                                | is a site-local address",
        "http://[ff02::1]/                                | is a multicast address (ff00::/8)",
        "http://[100::1]/                                 | is a discard-only address",
        "http://10.0.0.5/                                 | is a private address (10.0.0.0/8)",
        "http://172.16.0.1/                               | is a private address (172.16.0.0/12)",
        "http://172.31.255.255/                           | is a private address (172.16.0.0/12)",
        "http://192.168.1.1:8080/admin                    | is a private address (192.168.0.0/16)",
        "http://100.64.0.1/                               | is a carrier-grade NAT address (100.64.0.0/10)",
        "http://100.127.255.254/                          | is a carrier-grade NAT address",
        "http://169.254.1.1/                              | is a link-local address (169.254.0.0/16)",
        "http://169.254.169.254/latest/meta-data/         | is a cloud metadata address, which is never allowed",
        "http://169.254.170.2/v2/credentials              | is a cloud metadata address",
        "http://0.0.0.0/                                  | is the unspecified address",
        "http://0.1.2.3/                                  | is a 'this network' address (0.0.0.0/8)",
        "http://224.0.0.1/                                | is a multicast address (224.0.0.0/4)",
        "http://239.255.255.250/                          | is a multicast address",
        "http://240.0.0.1/                                | is a reserved address (240.0.0.0/4)",
        "http://255.255.255.255/                          | is the broadcast address",
        "http://198.18.0.1/                               | is a benchmarking address",
        "http://metadata.google.internal/computeMetadata/ | is a cloud metadata service, which is never allowed",
        "http://METADATA.GOOGLE.INTERNAL./                | is a cloud metadata service",
        "http://internal.example/                         | resolves to 10.1.2.3, a private address (10.0.0.0/8)",
        "http://rebind.example/                           | resolves to 127.0.0.1, a loopback address",
        "http://dns64.example/                            | resolves to 64:ff9b:0:0:0:0:a9fe:a9fe, a cloud metadata address, which is never allowed",
        "http://cloud.example/                            | resolves to 169.254.169.254, a cloud metadata address",
        "http://localhost/                                | resolves to 127.0.0.1, a loopback address",
        "http://nowhere.example/                          | does not resolve",
        "http://example.com:8080/                         | port 8080 is not allowed: only 80 and 443",
        "https://example.com:22/                          | port 22 is not allowed",
        "http://127.0.0.%31/                              | is percent-encoded",
        "http://1.2.3.4.5/                                | is not a valid IPv4 address",
        "http://256.0.0.1/                                | is not a valid IPv4 address",
        "http://08.0.0.1/                                 | is not a valid IPv4 address",
        "http://user:pw@example.com/                      | credentials in the URL are not allowed",
        "file:///etc/passwd                               | only http and https URLs are allowed",
        "ftp://example.com/                               | only http and https URLs are allowed",
        "gopher://127.0.0.1:6379/_INFO                    | only http and https URLs are allowed",
        "http:///path                                     | the URL has no host",
    })
    void everyForbiddenFormIsRefusedWithItsReason(String url, String reason) {
        assertThat(refusal(guard(), url)).contains(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://2130706433:9000/", "http://0x7f000001:9000/", "http://127.1:9000/",
        "http://[::127.0.0.1]:9000/", "http://[::ffff:127.0.0.1]:9000/", "http://[64:ff9b::7f00:1]:9000/",
        "http://[2002:7f00:1::1]:9000/", "http://[::1]:9000/", "http://169.254.169.254/"})
    void aListedAddressDoesNotOpenItsOtherNotationsOrEmbeddings(String url) {
        assertThat(refusal(guard("127.0.0.1"), url)).startsWith("host ");
    }

    @Test
    void publicAddressesOnTheStandardPortsPassAndAreCalledAtTheCheckedAddress() throws Exception {
        UrlGuard guard = guard();
        UrlGuard.Target named = guard.check("https://example.com/hooks/a%20b?x=1&y=2#top");
        assertThat(named.address()).isEqualTo(InetAddress.getByName("93.184.215.14"));
        assertThat(named.host()).isEqualTo("example.com");
        assertThat(named.port()).isEqualTo(443);
        assertThat(named.ssl()).isTrue();
        assertThat(named.pathAndQuery()).isEqualTo("/hooks/a%20b?x=1&y=2");
        assertThat(guard.check("http://EXAMPLE.com.").pathAndQuery()).isEqualTo("/");
        assertThat(guard.check("http://8.8.8.8:80/").address().getHostAddress()).isEqualTo("8.8.8.8");
        assertThat(guard.check("http://[2606:4700::1111]/").port()).isEqualTo(80);
        assertThat(guard.check("http://[64:ff9b::808:808]/").address())
                .as("a NAT64 address of a public IPv4 address").isEqualTo(literal("64:ff9b::808:808"));
        assertThat(guard.check("http://[2002:808:808::1]/").host()).isEqualTo(literal("2002:808:808::1")
                .getHostAddress());
    }

    /** How the e2e mesh and deploy/local/run.sh use it: 127.0.0.1 listed, receivers on random ports. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:*", " 127.0.0.1 "})
    void aListedAddressWithoutAPortOrWithAStarIsOpenOnEveryPort(String entry) {
        UrlGuard guard = guard(entry);
        assertThat(guard.check("http://127.0.0.1:41234/hook").port()).isEqualTo(41234);
        assertThat(guard.check("http://127.0.0.1/").port()).isEqualTo(80);
        assertThat(guard.check("http://localhost:41234/").address().getHostAddress())
                .as("a name resolving to the listed address").isEqualTo("127.0.0.1");
        assertThat(refusal(guard, "http://127.0.0.2:41234/")).contains("is a loopback address");
    }

    @Test
    void anAddressListedWithAPortIsOpenOnThatPortOnly() {
        UrlGuard guard = guard("10.1.2.3:8080", "[fd12::1]:8443");
        assertThat(guard.check("http://10.1.2.3:8080/x").address().getHostAddress()).isEqualTo("10.1.2.3");
        assertThat(refusal(guard, "http://10.1.2.3/x")).contains("is a private address");
        assertThat(refusal(guard, "http://10.1.2.3:8081/x")).contains("is a private address");
        assertThat(guard.check("https://[fd12::1]:8443/").port()).isEqualTo(8443);
        assertThat(refusal(guard, "https://[fd12::1]/")).contains("is a unique-local address");
    }

    @Test
    void aListedNameOpensItsPortButItsAddressesAreStillChecked() {
        UrlGuard guard = guard("hooks.example:8443", "internal.example:8443");
        assertThat(guard.check("https://hooks.example:8443/in").port()).isEqualTo(8443);
        assertThat(refusal(guard, "https://hooks.example:8444/in")).contains("port 8444 is not allowed")
                .contains("lists hooks.example:8444");
        assertThat(refusal(guard, "https://internal.example:8443/"))
                .contains("host internal.example resolves to 10.1.2.3, a private address")
                .contains("(by its address)");

        UrlGuard withItsAddress = guard("internal.example:8443", "10.1.2.3:8443");
        assertThat(withItsAddress.check("https://internal.example:8443/").address().getHostAddress())
                .isEqualTo("10.1.2.3");
        assertThat(refusal(withItsAddress, "https://internal.example:9999/"))
                .contains("resolves to 10.1.2.3, a private address");
    }

    @Test
    void aPlainNameEntryMeansPorts80And443AndOpensAnInternalName() {
        Map<String, List<String>> dns = Map.of("ci.corp.internal", List.of("93.184.215.20"));
        assertThat(refusal(guard(dns), "https://ci.corp.internal/")).contains("is an internal name");
        UrlGuard guard = guard(dns, "ci.corp.internal");
        assertThat(guard.check("https://ci.corp.internal/").port()).isEqualTo(443);
        assertThat(refusal(guard, "https://ci.corp.internal:8443/")).contains("port 8443 is not allowed");
    }

    @Test
    void metadataIsNeverAllowed() {
        for (String entry : List.of("169.254.169.254", "169.254.169.254:*", "[fd00:ec2::254]", "fd00:ec2::254",
                "metadata.google.internal", "100.100.100.200:80")) {
            assertThatThrownBy(() -> guard(entry)).as(entry).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("never allowed");
        }
        assertThat(refusal(guard("cloud.example:*"), "http://cloud.example:8080/"))
                .contains("resolves to 169.254.169.254, a cloud metadata address, which is never allowed");
        assertThat(refusal(guard("dns64.example"), "http://dns64.example/")).contains("never allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x7f000001", "127.1", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:http", "[::1",
        "exa mple.com", "[::1]x"})
    void aMalformedEntryStopsTheServiceAtStart(String entry) {
        assertThatThrownBy(() -> guard(entry)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(UrlGuard.ALLOWED_HOSTS + " entry");
    }

    @Test
    void ipv4NotationsParseAsInetAtonDoes() {
        assertThat(UrlGuard.ipv4("2130706433")).isEqualTo(0x7f000001);
        assertThat(UrlGuard.ipv4("0x7f000001")).isEqualTo(0x7f000001);
        assertThat(UrlGuard.ipv4("0177.0.0.1")).isEqualTo(0x7f000001);
        assertThat(UrlGuard.ipv4("127.1")).isEqualTo(0x7f000001);
        assertThat(UrlGuard.ipv4("127.0.1")).isEqualTo(0x7f000001);
        assertThat(UrlGuard.ipv4("10.0x10203")).isEqualTo(0x0a010203);
        assertThat(UrlGuard.ipv4("255.255.255.255")).isEqualTo(-1);
        assertThat(UrlGuard.ipv4("4294967296")).isNull();
        assertThat(UrlGuard.ipv4("1.256.0.0")).isNull();
        assertThat(UrlGuard.ipv4("1.2.3.4.5")).isNull();
        assertThat(UrlGuard.ipv4("09")).isNull();
    }
}

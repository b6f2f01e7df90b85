package io.engageflow.integration.secrets;

import static io.engageflow.integration.secrets.SecretKeyringTest.randomKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engageflow.integration.domain.SecretBox;
import io.engageflow.integration.domain.secrets.SecretKeyring;
import io.engageflow.integration.domain.secrets.UnreadableSecretException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The stored form of a secret: bound to its workspace and provider, tagged with its key id, readable during rotation. */
class SecretBoxTest {
    private final String keyA = randomKey();
    private final String keyB = randomKey();

    @Test
    void aCiphertextOnlyDecryptsForTheWorkspaceAndProviderItWasWrittenFor() {
        SecretBox box = new SecretBox(new SecretKeyring(Map.of("a", keyA), "a"));
        String sealed = box.seal("sk-live-123", "ws-1", "salesforce");
        assertThat(sealed).startsWith("v1:a:").doesNotContain("sk-live-123");
        assertThat(box.open(sealed, "ws-1", "salesforce").plain()).isEqualTo("sk-live-123");

        assertThatThrownBy(() -> box.open(sealed, "ws-2", "salesforce")).isInstanceOf(UnreadableSecretException.class)
                .hasMessageContaining("encrypted for another workspace or provider");
        assertThatThrownBy(() -> box.open(sealed, "ws-1", "mailchimp")).isInstanceOf(UnreadableSecretException.class);
        // the workspace and provider are length-prefixed: moving a character from one to the other changes the data
        String joined = box.seal("x", "ws-1", "thuzi");
        assertThatThrownBy(() -> box.open(joined, "ws-1t", "huzi")).isInstanceOf(UnreadableSecretException.class);
    }

    @Test
    void eachWriteHasItsOwnNonce() {
        SecretBox box = new SecretBox(new SecretKeyring(Map.of("a", keyA), "a"));
        assertThat(box.seal("same", "ws", "braze")).isNotEqualTo(box.seal("same", "ws", "braze"));
    }

    @Test
    void rotationReadsTheOldKeyWritesTheNewOneAndTheOldKeyCanThenGo() {
        SecretBox onA = new SecretBox(new SecretKeyring(Map.of("a", keyA), "a"));
        SecretBox aAndB = new SecretBox(new SecretKeyring(Map.of("a", keyA, "b", keyB), "b"));
        SecretBox onB = new SecretBox(new SecretKeyring(Map.of("b", keyB), "b"));
        String underA = onA.seal("token", "ws", "thuzi");

        assertThat(aAndB.open(underA, "ws", "thuzi").keyId()).isEqualTo("a");
        assertThat(aAndB.isCurrent(underA)).isFalse();
        String underB = aAndB.seal(aAndB.open(underA, "ws", "thuzi").plain(), "ws", "thuzi");
        assertThat(underB).startsWith("v1:b:");
        assertThat(aAndB.isCurrent(underB)).isTrue();
        assertThat(onB.open(underB, "ws", "thuzi").plain()).isEqualTo("token");
        assertThatThrownBy(() -> onB.open(underA, "ws", "thuzi")).isInstanceOf(UnreadableSecretException.class)
                .hasMessageContaining("key id 'a' is not configured");
        // a key with the id of another is not that key
        SecretBox otherA = new SecretBox(new SecretKeyring(Map.of("a", keyB), "a"));
        assertThatThrownBy(() -> otherA.open(underA, "ws", "thuzi")).isInstanceOf(UnreadableSecretException.class);
    }

    @Test
    void textWrittenByEarlierVersionsReadsWithKeyDefaultAsUnbound() throws Exception {
        String legacy = legacySeal(keyA, "old-api-key");
        SecretBox box = new SecretBox(new SecretKeyring(Map.of("default", keyA, "b", keyB), "b"));
        SecretBox.Opened opened = box.open(legacy, "ws", "mailchimp");
        assertThat(opened.plain()).isEqualTo("old-api-key");
        assertThat(opened.bound()).isFalse();
        assertThat(opened.keyId()).isEqualTo("default");
        assertThat(SecretBox.keyId(legacy)).isEqualTo("default");
        SecretBox withoutDefault = new SecretBox(new SecretKeyring(Map.of("b", keyB), "b"));
        assertThatThrownBy(() -> withoutDefault.open(legacy, "ws", "mailchimp"))
                .isInstanceOf(UnreadableSecretException.class).hasMessageContaining("written before key ids");
    }

    /** What versions before key ids stored: base64(iv | AES-GCM ciphertext), no associated data. */
    static String legacySeal(String base64Key, String plain) throws Exception {
        byte[] iv = new byte[12];
        new java.security.SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"),
                new GCMParameterSpec(128, iv));
        byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed)
                .array());
    }
}

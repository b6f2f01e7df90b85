package io.engageflow.integration.domain;

import io.engageflow.integration.domain.secrets.SecretKeyring;
import io.engageflow.integration.domain.secrets.UnreadableSecretException;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Encrypts connected-app secrets at rest: AES-256-GCM, a random 12-byte nonce per write, the workspace id and the
 * provider as associated data (a ciphertext copied to another workspace's or provider's row does not decrypt), and
 * the key id in the stored text: {@code v1:<keyId>:<base64(nonce | ciphertext | tag)>}. New writes use the keyring's
 * current key; any configured key reads. Text without the {@code v1:} prefix was written by earlier versions (key
 * {@code default}, no associated data): it still reads, and the re-encrypt command rewrites it.
 * Created at startup ({@link Startup}) so a refused key stops the service before it serves anything.
 */
@Startup
@ApplicationScoped
public class SecretBox {
    private static final Logger LOG = Logger.getLogger(SecretBox.class);
    static final String FORMAT = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] PURPOSE = "engageflow.connected-app".getBytes(StandardCharsets.UTF_8);

    private final SecretKeyring keyring;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public SecretBox(Config config) {
        this(SecretKeyring.fromConfig(config));
        if (keyring.developmentKeyCurrent()) {
            LOG.warn("connected-app secrets are encrypted with the built-in development key (allowed by "
                    + SecretKeyring.ALLOW_DEVELOPMENT_KEY + "); set ENGAGEFLOW_INTEGRATION_SECRET_KEY");
        }
    }

    public SecretBox(SecretKeyring keyring) {
        this.keyring = keyring;
    }

    /** What a stored text decrypted to, with the id of the key that read it; bound is false for pre-v1 text. */
    public record Opened(String plain, String keyId, boolean bound) {
        @Override
        public String toString() {
            return "Opened[" + keyId + ", bound " + bound + "]"; // never the plain text
        }
    }

    public String currentKeyId() {
        return keyring.currentId();
    }

    public String seal(String plain, String workspaceId, String provider) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keyring.current(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(workspaceId, provider));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return FORMAT + ":" + keyring.currentId() + ":" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** Decrypts a stored text of this workspace and provider, or throws {@link UnreadableSecretException}. */
    public Opened open(String stored, String workspaceId, String provider) {
        if (stored == null || stored.isEmpty()) {
            throw new UnreadableSecretException("no ciphertext is stored");
        }
        if (!stored.startsWith(FORMAT + ":")) {
            SecretKey key = keyring.key(SecretKeyring.DEFAULT_ID).orElseThrow(() -> new UnreadableSecretException(
                    "it was written before key ids, with key '" + SecretKeyring.DEFAULT_ID + "' ("
                            + SecretKeyring.LEGACY_KEY + "), which is not configured"));
            return new Opened(decrypt(key, stored, null, SecretKeyring.DEFAULT_ID), SecretKeyring.DEFAULT_ID, false);
        }
        String[] parts = stored.split(":", 3);
        if (parts.length != 3) {
            throw new UnreadableSecretException("its stored form is not " + FORMAT + ":<keyId>:<base64>");
        }
        String keyId = parts[1];
        SecretKey key = keyring.key(keyId).orElseThrow(() -> new UnreadableSecretException(
                "its key id '" + keyId + "' is not configured (configured: " + keyring.ids() + ")"));
        return new Opened(decrypt(key, parts[2], associatedData(workspaceId, provider), keyId), keyId, true);
    }

    /** Whether a stored text is in the current format with the current key (re-encrypting it changes nothing). */
    public boolean isCurrent(String stored) {
        return stored != null && stored.startsWith(FORMAT + ":" + keyring.currentId() + ":");
    }

    /** The key id a stored text names: {@code default} for text of earlier versions. */
    public static String keyId(String stored) {
        if (stored == null || !stored.startsWith(FORMAT + ":")) {
            return SecretKeyring.DEFAULT_ID;
        }
        String[] parts = stored.split(":", 3);
        return parts.length == 3 ? parts[1] : "?";
    }

    private static String decrypt(SecretKey key, String base64, byte[] aad, String keyId) {
        byte[] all;
        try {
            all = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new UnreadableSecretException("its ciphertext is not base64");
        }
        if (all.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new UnreadableSecretException("its ciphertext is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            if (aad != null) {
                cipher.updateAAD(aad);
            }
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new UnreadableSecretException("it does not decrypt with key '" + keyId + "': it was encrypted for "
                    + "another workspace or provider, with another key of that id, or altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decryption failed", e);
        }
    }

    /** Purpose, workspace id and provider, each length-prefixed: no two pairs give the same bytes. */
    static byte[] associatedData(String workspaceId, String provider) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : new byte[][] {PURPOSE, workspaceId.getBytes(StandardCharsets.UTF_8),
                provider.getBytes(StandardCharsets.UTF_8)}) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(part.length).array());
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

package io.engageflow.integration.domain;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Encrypts API keys at rest with AES-256-GCM; the key comes from {@code engageflow.integration.secret-key}. */
@ApplicationScoped
public class SecretBox {
    private static final Logger LOG = Logger.getLogger(SecretBox.class);
    /** Only for local runs and tests; production sets its own key (see README). */
    static final String DEVELOPMENT_KEY = "ZW5nYWdlZmxvdy1kZXZlbG9wbWVudC1rZXktMzJieXQ=";

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(@ConfigProperty(name = "engageflow.integration.secret-key", defaultValue = DEVELOPMENT_KEY)
                     String base64Key) {
        byte[] raw = Base64.getDecoder().decode(base64Key);
        if (raw.length != 32) {
            throw new IllegalStateException("engageflow.integration.secret-key must be 32 bytes, base64-encoded");
        }
        if (DEVELOPMENT_KEY.equals(base64Key)) {
            LOG.warn("connected-app keys are encrypted with the development key; set ENGAGEFLOW_INTEGRATION_SECRET_KEY");
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    public String encrypt(String plain) {
        try {
            byte[] iv = new byte[12];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv)
                    .put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public String decrypt(String stored) {
        try {
            byte[] all = Base64.getDecoder().decode(stored);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored key could not be decrypted (was the secret key changed?)", e);
        }
    }
}

package io.engageflow.orchestrator.domain.instance;

import io.engageflow.orchestrator.domain.definition.DecisionStep;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A/B routing: which share of a split a contact falls in. The bucket, in [0, 100), is a function of the workflow id,
 * the Decision's step id and the contact id only, so a contact takes the same path on every run of the workflow, on
 * every replica, across restarts and new versions (the version is left out on purpose: a new version with the same
 * shares keeps every contact where it was), while another split step of the same workflow draws independently.
 *
 * <p>The hash is SHA-256 over a well-defined encoding — each of the three strings as its UTF-8 length (4 bytes, big
 * endian) then its UTF-8 bytes, so no two different triples encode alike ({@code ("ab", "c")} vs {@code ("a",
 * "bc")}) — and the first 8 bytes of the digest, as an unsigned number, modulo 100 (a bias of 100 / 2^64: none).
 * Changing this encoding would move live contacts to other paths: a test pins it.
 */
public final class AbBuckets {
    public static final int BUCKETS = 100;

    private AbBuckets() {
    }

    /** The contact's bucket, 0 to 99, for this split step of this workflow. */
    public static int bucket(String workflowId, String stepId, String contactId) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        for (String part : new String[] {workflowId, stepId, contactId}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha256.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            sha256.update(bytes);
        }
        long first = ByteBuffer.wrap(sha256.digest()).getLong();
        return (int) Long.remainderUnsigned(first, BUCKETS);
    }

    /**
     * The share a bucket falls in: shares take consecutive ranges of buckets in definition order (50/50: A gets 0-49,
     * B 50-99); null when the percents leave the bucket uncovered (never, in a valid definition: they sum to 100).
     */
    public static String path(List<DecisionStep.Share> shares, int bucket) {
        int upTo = 0;
        for (DecisionStep.Share share : shares) {
            upTo += share.percent() == null ? 0 : share.percent();
            if (bucket < upTo) {
                return share.path();
            }
        }
        return null;
    }
}

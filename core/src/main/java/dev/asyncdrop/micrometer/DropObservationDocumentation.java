package dev.asyncdrop.micrometer;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of async-drop, their default conventions and key names. Every key is low cardinality: its values
 * are bounded (a plan's resource names are fixed when it is built; a runtime guard is named after its type), so a
 * meter handler turns each into a tag. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public enum DropObservationDocumentation implements ObservationDocumentation {

    /** The drop of one resource: of a plan, or a guard's at run time. */
    DROP {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultDropObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return DropKeyNames.values();
        }
    },

    /** One phase of a plan, from its first drop until its last drop finished or its deadline passed. */
    DROP_PHASE {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultDropPhaseObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return DropPhaseKeyNames.values();
        }
    };

    /** The key names of {@link #DROP}. */
    public enum DropKeyNames implements KeyName {

        /** The resource's name in its plan, or the simple name of a runtime guard's resource type. */
        RESOURCE {
            @Override
            public String asString() {
                return "resource";
            }
        },

        /** The resource's phase, or {@code none} for a runtime guard. */
        PHASE {
            @Override
            public String asString() {
                return "phase";
            }
        },

        /** How the drop ended: {@code success}, {@code failure}, {@code timeout} or {@code skipped}; set at the end. */
        OUTCOME {
            @Override
            public String asString() {
                return "outcome";
            }
        },

        /** The simple name of the failure's type, or {@code none}; set at the end. */
        EXCEPTION {
            @Override
            public String asString() {
                return "exception";
            }
        }
    }

    /** The key names of {@link #DROP_PHASE}. */
    public enum DropPhaseKeyNames implements KeyName {

        /** The phase number. */
        PHASE {
            @Override
            public String asString() {
                return "phase";
            }
        },

        /** How the phase ended: {@code success}, {@code failure} or {@code timeout}; set at the end. */
        OUTCOME {
            @Override
            public String asString() {
                return "outcome";
            }
        }
    }
}

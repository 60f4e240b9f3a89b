package dev.slipway.mesoslocal.master;

import dev.slipway.mesoslocal.task.Uuids;
import java.util.HashSet;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;

/** Mesos 1.11's validation of scheduler calls, framework infos, roles and ids; null means valid. */
final class Validation {
    private static final int NAME_MAX = 255;

    private Validation() {
    }

    static String call(Call call) {
        if (!call.hasType()) {
            return "Expecting 'type' to be present";
        }
        if (call.getType() == Call.Type.SUBSCRIBE) {
            if (!call.hasSubscribe()) {
                return "Expecting 'subscribe' to be present";
            }
            FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
            if (!info.getId().equals(call.getFrameworkId())) {
                return "'framework_id' differs from 'subscribe.framework_info.id'";
            }
            return null;
        }
        if (!call.hasFrameworkId()) {
            return "Expecting 'framework_id' to be present";
        }
        return switch (call.getType()) {
            case ACCEPT -> call.hasAccept() ? null : "Expecting 'accept' to be present";
            case DECLINE -> call.hasDecline() ? null : "Expecting 'decline' to be present";
            case ACCEPT_INVERSE_OFFERS -> call.hasAcceptInverseOffers() ? null
                    : "Expecting 'accept_inverse_offers' to be present";
            case DECLINE_INVERSE_OFFERS -> call.hasDeclineInverseOffers() ? null
                    : "Expecting 'decline_inverse_offers' to be present";
            case KILL -> call.hasKill() ? null : "Expecting 'kill' to be present";
            case SHUTDOWN -> call.hasShutdown() ? null : "Expecting 'shutdown' to be present";
            case ACKNOWLEDGE -> call.hasAcknowledge() ? Uuids.validate(call.getAcknowledge().getUuid())
                    : "Expecting 'acknowledge' to be present";
            case ACKNOWLEDGE_OPERATION_STATUS -> !call.hasAcknowledgeOperationStatus()
                    ? "Expecting 'acknowledge_operation_status' to be present"
                    : Uuids.validate(call.getAcknowledgeOperationStatus().getUuid());
            case RECONCILE -> call.hasReconcile() ? null : "Expecting 'reconcile' to be present";
            case RECONCILE_OPERATIONS -> call.hasReconcileOperations() ? null
                    : "Expecting 'reconcile_operations' to be present";
            case MESSAGE -> call.hasMessage() ? null : "Expecting 'message' to be present";
            case REQUEST -> call.hasRequest() ? null : "Expecting 'request' to be present";
            case UPDATE_FRAMEWORK -> !call.hasUpdateFramework() ? "Expecting 'update_framework' to be present"
                    : call.getFrameworkId().equals(call.getUpdateFramework().getFrameworkInfo().getId()) ? null
                    : "'framework_id' differs from 'update_framework.framework_info.id'";
            default -> null;
        };
    }

    /** {@code validation::framework::validate}: roles used the right way, and a usable failover timeout. */
    static String frameworkInfo(FrameworkInfo info) {
        boolean multiRole = info.getCapabilitiesList().stream()
                .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.MULTI_ROLE);
        if (multiRole && info.hasRole()) {
            return "'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable";
        }
        if (!multiRole && info.getRolesCount() > 0) {
            return "'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable";
        }
        if (multiRole) {
            if (new HashSet<>(info.getRolesList()).size() != info.getRolesCount()) {
                return "'FrameworkInfo.roles' contains duplicate items";
            }
            for (String role : info.getRolesList()) {
                String error = role(role);
                if (error != null) {
                    return "'FrameworkInfo.roles' contains invalid role: " + error;
                }
            }
        } else {
            String error = role(info.getRole());
            if (error != null) {
                return "'FrameworkInfo.role' is not a valid role: " + error;
            }
        }
        double failover = info.getFailoverTimeout();
        if (Double.isNaN(failover) || Double.isInfinite(failover) || failover < 0) {
            return "Invalid 'FrameworkInfo.failover_timeout': " + failover;
        }
        return null;
    }

    /** {@code roles::validate}. */
    static String role(String role) {
        if (role.equals("*")) {
            return null;
        }
        if (role.isEmpty()) {
            return "Empty role name is invalid";
        }
        if (role.startsWith("/")) {
            return "Role '" + role + "' cannot start with a slash";
        }
        if (role.endsWith("/")) {
            return "Role '" + role + "' cannot end with a slash";
        }
        for (String part : role.split("/", -1)) {
            if (part.isEmpty()) {
                return "Role '" + role + "' cannot contain two adjacent slashes";
            }
            if (part.equals(".") || part.equals("..")) {
                return "Role '" + role + "' cannot include '.' or '..' as a path segment";
            }
            if (part.startsWith("-")) {
                return "Role '" + role + "' cannot have a path segment that starts with '-'";
            }
            if (part.equals("*")) {
                return "Role '" + role + "' cannot include '*' as a path segment";
            }
            if (part.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                return "Role '" + role + "' cannot include whitespace or control characters";
            }
        }
        return null;
    }

    /** {@code common::validation::validateID}, as used for task and executor ids. */
    static String id(String id) {
        if (id.isEmpty()) {
            return "ID must not be empty";
        }
        if (id.length() > NAME_MAX) {
            return "ID must not be greater than " + NAME_MAX + " characters";
        }
        if (id.equals(".") || id.equals("..")) {
            return "'" + id + "' is disallowed";
        }
        if (id.chars().anyMatch(c -> Character.isISOControl(c) || c == '/' || c == '\\')) {
            return "'" + id + "' contains invalid characters";
        }
        return null;
    }
}

/**
 * Internal to vmqtt: what the engine needs from the API's values beyond their public surface. Not
 * API; exported to the engine module only.
 */
package io.vmqtt.internal.api;

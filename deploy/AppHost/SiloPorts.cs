namespace MovieRecommender.AppHost;

/// <summary>One silo's ports: silo-to-silo, the gateway clients dial, and its HTTP API.</summary>
public sealed record SiloPorts(int SiloPort, int GatewayPort, int HttpPort);

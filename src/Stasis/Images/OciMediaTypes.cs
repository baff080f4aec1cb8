namespace Stasis.Images;

/// <summary>The OCI image-spec media types and annotation keys Stasis reads and writes.</summary>
internal static class OciMediaTypes
{
    public const string Index = "application/vnd.oci.image.index.v1+json";
    public const string Manifest = "application/vnd.oci.image.manifest.v1+json";
    public const string Config = "application/vnd.oci.image.config.v1+json";
    public const string Layer = "application/vnd.oci.image.layer.v1.tar";
    public const string LayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string LayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    public const string LayoutFile = "oci-layout";
    public const string LayoutVersion = "1.0.0";
}

using System.Text.Json.Serialization;

namespace Kiln.Cli.Identity;

/// <summary>
/// The body of Keystone's <c>POST /v3/auth/tokens</c>, shaped as keystoneauth's v3 plugins shape it:
/// the user by id, or by name with its domain; the project scope by id, or by name with its domain.
/// </summary>
internal sealed record TokenRequest(TokenRequest.AuthPart Auth)
{
    public static TokenRequest For(AuthSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var identity = settings.Type == AuthType.Password
            ? new IdentityPart(["password"], new PasswordPart(new UserPart(settings.User!.Id, settings.User.Name, Domain(settings.User, settings.UserDomain), settings.Password!)), null)
            : new IdentityPart(["token"], null, new TokenPart(settings.Token!));
        var scope = settings.Project is { } project
            ? new ScopePart(new ProjectPart(project.Id, project.Name, Domain(project, settings.ProjectDomain)))
            : null;
        return new TokenRequest(new AuthPart(identity, scope));
    }

    // A domain qualifies a name only; keystoneauth leaves it out next to an id.
    private static DomainPart? Domain(NamedRef owner, NamedRef? domain) =>
        owner.Id is null && domain is not null ? new DomainPart(domain.Id, domain.Name) : null;

    internal sealed record AuthPart(IdentityPart Identity, ScopePart? Scope);

    internal sealed record IdentityPart(IReadOnlyList<string> Methods, PasswordPart? Password, TokenPart? Token);

    internal sealed record PasswordPart(UserPart User);

    internal sealed record UserPart(string? Id, string? Name, DomainPart? Domain, string Password)
    {
        public override string ToString() => $"UserPart {{ Id = {Id}, Name = {Name}, Domain = {Domain} }}";
    }

    internal sealed record TokenPart(string Id)
    {
        public override string ToString() => "TokenPart { }";
    }

    internal sealed record DomainPart(string? Id, string? Name);

    internal sealed record ScopePart(ProjectPart Project);

    internal sealed record ProjectPart(string? Id, string? Name, DomainPart? Domain);
}

/// <summary>Source-generated JSON for <see cref="TokenRequest"/>: lower-case names, absent parts left out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenRequest))]
internal sealed partial class KeystoneJson : JsonSerializerContext;

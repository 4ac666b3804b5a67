namespace Kiln.Cli.Tests;

/// <summary>The variables an openrc file exports, for the fake cloud; each test adds or removes a few.</summary>
internal static class OpenRc
{
    /// <summary>Password authentication of the fake's user, project by name, both domains by name.</summary>
    public static Dictionary<string, string> Password(FakeOpenStack cloud, string authPath = "v3") => new()
    {
        ["OS_AUTH_URL"] = new Uri(cloud.Url, authPath).ToString(),
        ["OS_USERNAME"] = FakeOpenStack.Username,
        ["OS_PASSWORD"] = FakeOpenStack.Password,
        ["OS_PROJECT_NAME"] = "demo",
        ["OS_USER_DOMAIN_NAME"] = "Default",
        ["OS_PROJECT_DOMAIN_NAME"] = "Default",
    };

    public static Dictionary<string, string> With(this Dictionary<string, string> environment, string name, string value)
    {
        environment[name] = value;
        return environment;
    }

    public static Dictionary<string, string> Without(this Dictionary<string, string> environment, params string[] names)
    {
        foreach (var name in names)
        {
            environment.Remove(name);
        }

        return environment;
    }
}

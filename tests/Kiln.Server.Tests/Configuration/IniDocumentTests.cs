using Kiln.Server.Configuration;

namespace Kiln.Server.Tests.Configuration;

public sealed class IniDocumentTests
{
    [Fact]
    public void Parse_CommentsBlankLinesAndSeparators_ReadsEveryOption()
    {
        var document = IniDocument.Parse(
            """
            # a comment
            ; another comment

            [DEFAULT]
            host = node-1
            state_path=/var/lib/kiln
              # an indented comment is still a comment
            transport_url: rabbit://user:secret@mq:5672/
            connection = sqlite:///kiln.db
            empty =
            """,
            "kiln.conf");

        document.GetValue("DEFAULT", "host").ShouldBe("node-1");
        document.GetValue("DEFAULT", "state_path").ShouldBe("/var/lib/kiln");
        document.GetValue("DEFAULT", "transport_url").ShouldBe("rabbit://user:secret@mq:5672/");
        document.GetValue("DEFAULT", "connection").ShouldBe("sqlite:///kiln.db");
        document.GetValue("DEFAULT", "empty").ShouldBe(string.Empty);
        document.Sections.Select(s => s.Name).ShouldBe(["DEFAULT"]);
    }

    [Fact]
    public void Parse_FirstSeparator_SplitsKeyFromValue()
    {
        var document = IniDocument.Parse("[s]\na = b: c\nd: e = f\n", "kiln.conf");

        document.GetValue("s", "a").ShouldBe("b: c");
        document.GetValue("s", "d").ShouldBe("e = f");
    }

    [Fact]
    public void Parse_ValueWithHash_KeepsItBecauseOnlyFullLineCommentsExist()
    {
        var document = IniDocument.Parse("[s]\npassword = abc#def ; ghi\n", "kiln.conf");

        document.GetValue("s", "password").ShouldBe("abc#def ; ghi");
    }

    [Fact]
    public void Parse_ContinuationLines_JoinsWithNewline()
    {
        var document = IniDocument.Parse(
            "[DEFAULT]\nenabled_backends = fast,\n    slow,\n\tarchive\nhost = h\n",
            "kiln.conf");

        document.GetValue("DEFAULT", "enabled_backends").ShouldBe("fast,\nslow,\narchive");
        document.GetValue("DEFAULT", "host").ShouldBe("h");
    }

    [Fact]
    public void Parse_ContinuationOfEmptyValue_HasNoLeadingNewline()
    {
        var document = IniDocument.Parse("[DEFAULT]\nenabled_backends =\n  fast,\n  slow\n", "kiln.conf");

        document.GetValue("DEFAULT", "enabled_backends").ShouldBe("fast,\nslow");
    }

    [Fact]
    public void Parse_CommentBetweenContinuationLines_SkipsOnlyTheComment()
    {
        var document = IniDocument.Parse("[DEFAULT]\nenabled_backends = a,\n# b,\n  c\n", "kiln.conf");

        document.GetValue("DEFAULT", "enabled_backends").ShouldBe("a,\nc");
    }

    [Fact]
    public void Parse_SectionAndKeyInDifferentCase_AreOneSectionAndOneKey()
    {
        var document = IniDocument.Parse(
            "[DEFAULT]\nHost = first\n[default]\nhost = second\nOther = x\n",
            "kiln.conf");

        document.Sections.Count().ShouldBe(1);
        document.FindSection("Default")!.Line.ShouldBe(1);
        document.GetValue("DEFAULT", "HOST").ShouldBe("second");
        document.GetValue("default", "other").ShouldBe("x");
    }

    [Fact]
    public void Parse_DuplicateKey_LaterValueWinsWithItsLine()
    {
        var document = IniDocument.Parse("[fast]\nvolume_driver = a\nvolume_driver = b\n", "kiln.conf");

        var entry = document.FindSection("fast")!.Find("volume_driver")!;
        entry.Value.ShouldBe("b");
        entry.Line.ShouldBe(3);
        document.FindSection("fast")!.Entries.Count().ShouldBe(1);
    }

    [Fact]
    public void Parse_RepeatedSection_MergesInOrderOfFirstAppearance()
    {
        var document = IniDocument.Parse("[b]\nx = 1\n[a]\ny = 2\n[B]\nz = 3\n", "kiln.conf");

        document.Sections.Select(s => s.Name).ShouldBe(["b", "a"]);
        document.GetValue("b", "x").ShouldBe("1");
        document.GetValue("b", "z").ShouldBe("3");
    }

    [Fact]
    public void Parse_WhitespaceAroundNamesAndValues_IsTrimmed()
    {
        var document = IniDocument.Parse("[  fast  ]  \nvolume_driver   =   fault   \r\n", "kiln.conf");

        document.FindSection("fast")!.Name.ShouldBe("fast");
        document.GetValue("fast", "volume_driver").ShouldBe("fault");
    }

    [Fact]
    public void Parse_WindowsLineEndingsAndByteOrderMark_AreAccepted()
    {
        var document = IniDocument.Parse("\uFEFF[DEFAULT]\r\nhost = a\r\n  b\r\n", "kiln.conf");

        document.GetValue("DEFAULT", "host").ShouldBe("a\nb");
    }

    [Fact]
    public void Parse_EmptyText_HasNoSections()
    {
        IniDocument.Parse(string.Empty, "kiln.conf").Sections.ShouldBeEmpty();
    }

    [Fact]
    public void GetValue_MissingSectionOrKey_IsNull()
    {
        var document = IniDocument.Parse("[a]\nx = 1\n", "kiln.conf");

        document.GetValue("b", "x").ShouldBeNull();
        document.GetValue("a", "y").ShouldBeNull();
    }

    public static TheoryData<string, string, string> MalformedLines => new()
    {
        { "[DEFAULT]\nhost = a\njust some words\n", "kiln.conf:3: expected '[section]', 'option = value' or a comment", "'just some words'" },
        { "host = a\n[DEFAULT]\n", "kiln.conf:1: option appears before any [section] header", "'host = a'" },
        { "# c\n\n  indented = x\n", "kiln.conf:3: indented line does not continue an option", "'indented = x'" },
        { "[DEFAULT]\nhost = a\n\n  b\n", "kiln.conf:4: indented line does not continue an option", "'b'" },
        { "[DEFAULT]\n  b\n", "kiln.conf:2: indented line does not continue an option", "'b'" },
        { "[DEFAULT\n", "kiln.conf:1: section header must end with ']'", "'[DEFAULT'" },
        { "[DEFAULT] host = a\n", "kiln.conf:1: section header must end with ']'", "'[DEFAULT] host = a'" },
        { "[]\n", "kiln.conf:1: section name must be non-empty and contain no brackets", "'[]'" },
        { "[a[b]\n", "kiln.conf:1: section name must be non-empty and contain no brackets", "'[a[b]'" },
        { "[DEFAULT]\n= value\n", "kiln.conf:2: option name must be non-empty and contain no spaces", "'= value'" },
        { "[DEFAULT]\nvolume driver = x\n", "kiln.conf:2: option name must be non-empty and contain no spaces", "'volume driver = x'" },
    };

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public void Parse_MalformedLine_ThrowsNamingFileLineAndText(string text, string expectedStart, string expectedText)
    {
        var exception = Should.Throw<KilnConfigurationException>(() => IniDocument.Parse(text, "kiln.conf"));

        exception.Message.ShouldStartWith(expectedStart);
        exception.Message.ShouldEndWith(expectedText);
    }
}

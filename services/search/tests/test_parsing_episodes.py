"""How TV names read: the numbering an expert expects from each common way of writing it, and the names that
look numbered but are films."""

from datetime import date

import pytest
from search.parsing import parse_release


@pytest.mark.parametrize(
    ("name", "title", "season", "episodes"),
    [
        ("Show.Name.S01E02.720p.HDTV.x264-GRP", "Show Name", 1, [2]),
        ("Show.Name.S01E02E03.720p.HDTV.x264-GRP", "Show Name", 1, [2, 3]),
        ("Show.Name.S01E01-E03.720p.WEB.h264-GRP", "Show Name", 1, [1, 2, 3]),
        ("Show.Name.S01E01-S01E03.720p.WEB.h264-GRP", "Show Name", 1, [1, 2, 3]),
        ("Show Name - S01E02 - S01E05 - Ep Name", "Show Name", 1, [2, 5]),  # spaced: a list, not a range
        ("Phineas and Ferb S01E00 & S01E01 & S01E02", "Phineas and Ferb", 1, [0, 1, 2]),
        ("Astro.Le.Petit.Robot.S01E01+02.FRENCH.DVDRiP.X264-BOOLZ", "Astro Le Petit Robot", 1, [1, 2]),
        ("Show.Name.1x02.720p.HDTV.x264-GRP", "Show Name", 1, [2]),
        ("Show.Name.1x2.720p.HDTV.x264-GRP", "Show Name", 1, [2]),
        ("Show.Name.1x02.1x03.HDTV.XviD-GRP", "Show Name", 1, [2, 3]),
        ("Kaamelott - 5x44x45x46.avi", "Kaamelott", 5, [44, 45, 46]),
        ("Looney Tunes 1940x01 Porky's Last Stand.mkv", "Looney Tunes", 1940, [1]),
        ("Show.Name.S01.E02.720p.HDTV.x264-GRP", "Show Name", 1, [2]),
        ("Show.Name.S01EP02.720p.WEB.h264-GRP", "Show Name", 1, [2]),
        # the old scene numbering of TV broadcasts
        ("Show.102.HDTV.x264-GRP", "Show", 1, [2]),
        ("Show.1013.HDTV.x264-GRP", "Show", 10, [13]),
        ("the.flash.2014.208.hdtv-lol[ettv].mkv", "the flash", 2, [8]),
        # mini-series
        ("Band.of.Brothers.Part.2.HDTV.x264-GRP", "Band of Brothers", 1, [2]),
        ("Band.of.Brothers.Part.Two.HDTV.x264-GRP", "Band of Brothers", 1, [2]),
        # Spanish trackers
        ("Serie - Temporada 2 [HDTV][Cap.201][Español Castellano]", "Serie", 2, [1]),
        (
            "Show.Name.-.Temporada.1.720p.HDTV.x264[Cap.102_104]SPANISH.AUDIO-NEWPCT",
            "Show Name",
            1,
            [2, 3, 4],
        ),
        ("Show.Name.-.Tem.1.720p.HDTV.x264[Cap.112]SPANISH.AUDIO-NEWPCT", "Show Name", 1, [12]),
        # anime: the number after a dash, batches, versions
        ("[SubsPlease] Frieren - 12 (1080p) [ABCD1234].mkv", "Frieren", None, [12]),
        ("[SubsPlease] Frieren - 12v2 (1080p) [ABCD1234].mkv", "Frieren", None, [12]),
        ("[Group] Frieren - 01-12 (1080p) [Batch]", "Frieren", None, list(range(1, 13))),
        ("[ISLAND]One_Piece_679_[VOSTFR]_[8bit]_[720p]_[EB7838FC].mp4", "One Piece", None, [679]),
        (
            "[SubsPlease] Fairy Tail - 100 Years Quest - 05 (1080p) [1107F3A9].mkv",
            "Fairy Tail - 100 Years Quest",
            None,
            [5],
        ),
        ("[Group] Title S2 - 05 [1080p]", "Title", 2, [5]),
        ("Show Season 2 - 05 [1080p]", "Show", 2, [5]),
        ("NCIS Season 11 01.mp4", "NCIS", 11, [1]),
        # after a group in front, `Season 3 - 11` is an anime season's episode; without one, seasons 1 to 4
        (
            "[Erai-raws] Shingeki no Kyojin Season 3 - 11 [1080p][Multiple Subtitle].mkv",
            "Shingeki no Kyojin",
            3,
            [11],
        ),
        ("[FFA] Kiratto Pri☆chan Season 3 - 11 [1080p][HEVC].mkv", "Kiratto Pri☆chan", 3, [11]),
        # a fansub's hash marks the number before it as the episode, and is no title word
        ("[Evil-Saizen]_Laughing_Salesman_14_[DVD][1C98686A].mkv", "Laughing Salesman", None, [14]),
        ("[DB]_Bleach_264_[012073FE].avi", "Bleach", None, [264]),
        # an anime's season and episode in brackets
        ("[HR] Boku no Hero Academia (S4-24) [1080p HEVC Multi-Subs]", "Boku no Hero Academia", 4, [24]),
        ("Tokyo Ghoul Root A - 07 [S2-07] [Eng Sub] 480p", "Tokyo Ghoul Root A", 2, [7]),
        # an anime batch in brackets, anywhere among the tags
        ("Naruto [1080p] (001-220) [Complete Series + Movies]", "Naruto", None, list(range(1, 221))),
        ("[Group] Title [1080p] [01-24]", "Title", None, list(range(1, 25))),
        ("Title S01 (01-12) [1080p x265]", "Title", 1, list(range(1, 13))),
        # a documentary series' episode of how many
        (
            "BBC.The.Story.of.China.1.of.6.Ancestors.720p.HDTV.x264-GRP",
            "BBC The Story of China",
            None,
            [1],
        ),
        (
            "BBC Indian Ocean with Simon Reeve 5of6 Sri Lanka to Bangladesh.avi",
            "BBC Indian Ocean with Simon Reeve",
            None,
            [5],
        ),
        ("Witches Of Salem - 2Of4 - Road To Hell.mkv", "Witches Of Salem", None, [2]),
        ("Something.Season.2of5.3of9.Ep.Title.HDTV.torrent", "Something", 2, [3]),
        ("Something.Other.Season.3of5.Complete.HDTV.torrent", "Something Other", 3, []),
        # the episode before the title
        ("[DeadFish] 01 - Tari Tari [BD][720p][AAC].mp4", "Tari Tari", None, [1]),
        ("[DeadFish] 12 - Tari Tari [BD][720p][AAC].mp4", "Tari Tari", None, [12]),
        ("[NoobSubs] 06 Sword Art Online II (720p 8bit AAC).mp4", "Sword Art Online II", None, [6]),
        # a segment of a split cartoon episode is that episode
        ("The Twilight Zone 1985 S01E22c The Library.mp4", "The Twilight Zone", 1, [22]),
        # a season in Roman numerals after the season word
        ("Dexter Saison VII FRENCH.BDRip.XviD-MiND", "Dexter", 7, []),
        ("Show.Name.Season.II.1080p.BluRay.x264-GRP", "Show Name", 2, []),
        ("Show Name Season IV Episode 3 720p HDTV x264-GRP", "Show Name", 4, [3]),
        ("Show.Name.Staffel.IX.German.DL.1080p.WEB.x264-GRP", "Show Name", 9, []),
        # a disc of a season's DVD set: the season, no episode
        ("Greys.Anatomy.S07D1.NTSC.DVDR-ToF", "Greys Anatomy", 7, []),
        ("Greys.Anatomy.S07D1-3&5.NTSC.DVDR-ToF", "Greys Anatomy", 7, []),
        ("El.Principe.2014.S01D01.SPANiSH.COMPLETE.BLURAY-COJONUDO", "El Principe", 1, []),
        ("Show.Name.S02.DD5.1.1080p.WEB.x264-GRP", "Show Name", 2, []),  # an audio tag after it is no disc
        # the episode's number before the episode word (Russian, transliterated, Turkish trackers)
        ("Шоу 2 сезон 24 серия 1080p WEB-DL", "Шоу", 2, [24]),
        ("Shou.3.sezon.22.seriya.iz.22.1080p.WEB-DL", "Shou", 3, [22]),
        ("Шоу (05 сер.) 1080p WEB-DL", "Шоу", None, [5]),
        ("Шоу 5-й сезон 09-я серия 720p HDTV", "Шоу", 5, [9]),
        ("Show.Name.2.Sezon.7.Bolum.1080p.WEB-DL.x264-GRP", "Show Name", 2, [7]),
        # a season's episode written with a dot, between spaced dashes, in brackets or after the episode word
        ("My Little Pony FiM - 6.01 - No Second Prances.mkv", "My Little Pony FiM", 6, [1]),
        ("[5.01] Weight Loss.avi", "Weight Loss", 5, [1]),
        ("Dragon Ball [5.134] Preliminary Peril.mp4", "Dragon Ball", 5, [134]),
        ("Desperate Housewives - Episode 1.22 - Goodbye for now.avi", "Desperate Housewives", 1, [22]),
        # a file named by its episode first, the show's name left to its folder
        ("003. Show Name - Ep Name.avi", "Show Name", None, [3]),
        ("003-004. Show Name - Ep Name.avi", "Show Name", None, [3, 4]),
        ("01 - Ep Name.mkv", "Ep Name", None, [1]),
        ("03-Criminal.Minds.avi", "Criminal Minds", None, [3]),
        ("02 The Invitation.mp4", "The Invitation", None, [2]),
        ("004 - Male Unbonding - [DVD].avi", "Male Unbonding", None, [4]),
        # three digits: the season's, then the episode's two, as `Show.512.HDTV` reads (Family Guy's S05E12)
        ("512 - Airport '07.avi", "Airport '07", 5, [12]),
        ("611-612 - Desperate Measures, Means & Ends.mp4", "Desperate Measures, Means & Ends", 6, [11, 12]),
        ("4-13 Cursed (HD).m4v", "Cursed", 4, [13]),
        ("2-06. Девичья сила.mkv", "Девичья сила", 2, [6]),
        # numbering glued to the title's last word, a padded season before `E`, the `Ep` word before `2x03`
        (
            "The.Man.In.The.High.Castle1x01.HDTV.XviD[www.DivxTotaL.com].avi",
            "The Man In The High Castle",
            1,
            [1],
        ),
        ("Vikkatakavi 01E06.mkv", "Vikkatakavi", 1, [6]),
        ("Star Trek DS9 Ep 2x03 The Siege (Part III)", "Star Trek DS9", 2, [3]),
        # a number ending a fansub's name is its episode
        ("[Group Name] Show Name 13", "Show Name", None, [13]),
        ("[Group Name] Show Name.13.mkv", "Show Name", None, [13]),
        # a Russian file's season, dash and episode, when nothing else numbers it
        ("Доктор Хаус 03-20.mkv", "Доктор Хаус", 3, [20]),
        ("Комиссар Рекс 11-13.avi", "Комиссар Рекс", 11, [13]),
        # a season and episode ending a file's name, with nothing else in it
        ("office_03_19.avi", "office", 3, [19]),
        ("Ozk.02.09.avi", "Ozk", 2, [9]),
        ("SupNat-11_06.avi", "SupNat", 11, [6]),
        ("Pwer-04_05.avi", "Pwer", 4, [5]),
        # the episode's title glued to its numbering
        ("Desperate_housewives_S03E02Le malheur aime la compagnie.mkv", "Desperate housewives", 3, [2]),
        # shortened and spaced season words, a doubled dash, a Cyrillic `х`
        ("Sons of Anarchy Sn4 Ep14 HD-TV - To Be, Act 2, By Cool Release", "Sons of Anarchy", 4, [14]),
        ("Adventure Time 10 th season", "Adventure Time", 10, []),
        (
            "Otchayannie.domochozyaiki.(8.sez.21.ser.iz.23).2012.XviD.HDTVRip.avi",
            "Otchayannie domochozyaiki",
            8,
            [21],
        ),
        ("Yokon Men [06х01-08] (2017) HDTVRip", "Yokon Men", 6, list(range(1, 9))),
        # `3iz6`: the third of six; `5 из 20` on a Russian tracker: the first five of twenty are out
        ("Prehistoric park.3iz6.Supercroc.DVDRip.Xvid.avi", "Prehistoric park", None, [3]),
        (
            "Викинги / Vikings / Сезон: 5 / Серии: 5 из 20 [2017, WEB-DL 1080p] MVO",
            "Vikings",
            5,
            [1, 2, 3, 4, 5],
        ),
        ("Шоу [12 из 12] [2019, BDRip] [1080p]", "Шоу", None, list(range(1, 13))),
    ],
)
def test_episode_numbering(name: str, title: str, season: int | None, episodes: list[int]) -> None:
    parsed = parse_release(name)
    assert (parsed.title, parsed.season, parsed.episodes) == (title, season, episodes)


def test_numbering_ending_a_name_is_no_group() -> None:
    assert parse_release("SupNat-11_06.avi").group is None


@pytest.mark.parametrize(
    ("name", "title", "year"),
    [
        ("Room.237.BluRay.1080p.x264-GRP", "Room 237", None),
        ("Room.237.2012.1080p.BluRay.x264-GRP", "Room 237", 2012),
        ("2012.2009.1080p.BluRay.x264-GRP", "2012", 2009),
        ("1917.2019.1080p.BluRay.x264-GRP", "1917", 2019),
        ("Apollo.13.1995.720p.BluRay.x264-GRP", "Apollo 13", 1995),
        ("[Group] Mob Psycho 100 [BD 1080p]", "Mob Psycho 100", None),
        # a number before the title, neither zero-padded nor before a dash, is the title's
        ("[Group] 91 Days [BD 1080p]", "91 Days", None),
        ("The.4.of.Us.2019.1080p.WEB.h264-GRP", "The 4 of Us", 2019),
        ("Movie.Name.(1080-720).2019.1080p.WEB.h264-GRP", "Movie Name (1080-720)", 2019),
        ("[Group] 009 Re Cyborg [1080p]", "009 Re Cyborg", None),
        ("11-11-11.2011.1080p.BluRay.x264.DTS-FGT", "11-11-11", 2011),
        ("Star.Wars.Episode.4.A.New.Hope.1977.1080p.BluRay.x264-GRP", "Star Wars Episode 4 A New Hope", 1977),
        # a number first: the title's unless zero-padded, before a spaced dash or a dot, and in a name no year dates
        ("21 Jump Street 1080p BluRay x264-GRP", "21 Jump Street", None),
        ("12 Angry Men.avi", "12 Angry Men", None),
        ("127 Hours.mkv", "127 Hours", None),
        ("300 - Rise of an Empire.avi", "300 - Rise of an Empire", None),
        ("300 - Rise of an Empire (2014) 1080p BluRay x264-GRP", "300 - Rise of an Empire", 2014),
        ("2001 - A Space Odyssey.mkv", "2001 - A Space Odyssey", None),
        ("3-10 to Yuma.avi", "3-10 to Yuma", None),
        ("10 Things I Hate About You.avi", "10 Things I Hate About You", None),
        ("1-800-Missing.avi", "1-800-Missing", None),
        ("1917.mkv", "1917", None),
        ("91 Days.mkv", "91 Days", None),
        # letters and digits glued in a tag, and a dashed number outside a Cyrillic title
        ("Movie.AC3x2.2019.1080p.BluRay.x264-GRP", "Movie AC3x2", 2019),
        ("Movie.Name.AAC2x264.1080p.BluRay-GRP", "Movie Name AAC2x264", None),
        ("Show Name 11-11.avi", "Show Name 11-11", None),
        ("Movie.Name.2.01.avi", "Movie Name 2 01", None),
        ("Blade.Runner.2049.avi", "Blade Runner 2049", None),
        # a franchise's numbered film
        ("09 Movie - Dragon Ball Z - Bojack Unbound", "09 Movie - Dragon Ball Z - Bojack Unbound", None),
        ("Брат 2.avi", "Брат 2", None),
        ("[Group] Title 2019.mkv", "Title", 2019),
        # a dotted number is channels unless a spaced dash or a bracket holds it with an episode of two digits
        ("Movie [7.1] 1080p BluRay x264-GRP", "Movie", None),
        # a language word inside the title, with no tag after it, stays the title's
        ("The Italian Job.mkv", "The Italian Job", None),
        ("The_German_Doctor", "The German Doctor", None),
    ],
)
def test_numbers_that_are_not_episodes(name: str, title: str, year: int | None) -> None:
    parsed = parse_release(name)
    assert (parsed.title, parsed.year, parsed.season, parsed.episodes, parsed.air_date) == (
        title,
        year,
        None,
        [],
        None,
    )


@pytest.mark.parametrize(
    ("name", "title", "aired"),
    [
        ("The.Daily.Show.2024.03.15.720p.WEB.h264-GRP", "The Daily Show", date(2024, 3, 15)),
        ("The Daily Show 2024-03-15 720p WEB h264-GRP", "The Daily Show", date(2024, 3, 15)),
        ("The.Daily.Show.15.03.2024.720p.WEB.h264-GRP", "The Daily Show", date(2024, 3, 15)),
        ("The.Daily.Show.03.15.2024.720p.WEB.h264-GRP", "The Daily Show", date(2024, 3, 15)),
        ("EastEnders_20200116_19302000.mp4", "EastEnders", date(2020, 1, 16)),
        ("Something.2008x12.13-FlexGet", "Something", date(2008, 12, 13)),
        ("WWE NXT 30th Sept 2020 WEBRip h264-TJ", "WWE NXT", date(2020, 9, 30)),
        (
            "Indias Best Dramebaaz 2 Ep 19 (13 Feb 2016) HDTV x264-GRP",
            "Indias Best Dramebaaz 2",
            date(2016, 2, 13),
        ),
    ],
)
def test_daily_shows_in_every_date_order(name: str, title: str, aired: date) -> None:
    parsed = parse_release(name)
    assert (parsed.title, parsed.air_date) == (title, aired)


@pytest.mark.parametrize(
    ("name", "proper", "repack", "episodes"),
    [
        ("Show.Name.S01E02.PROPER.720p.HDTV.x264-GRP", True, False, [2]),
        ("Show.Name.S01E02.REAL.PROPER.720p.HDTV.x264-GRP", True, False, [2]),
        ("Show.Name.S01E02.REPACK.720p.HDTV.x264-GRP", False, True, [2]),
        ("Show.Name.S01E02E03.REPACK2.1080p.WEB.h264-GRP", False, True, [2, 3]),
        ("The.Proper.Show.S01E02.720p.HDTV.x264-GRP", False, False, [2]),
    ],
)
def test_proper_and_repack_episodes(name: str, proper: bool, repack: bool, episodes: list[int]) -> None:
    parsed = parse_release(name)
    assert (parsed.proper, parsed.repack, parsed.episodes) == (proper, repack, episodes)


def test_season_packs_and_complete_series() -> None:
    packs = parse_release("Show.Name.S01-S03.1080p.BluRay.x264-GRP")
    assert parse_release("Doctor Who S01--S07--Complete with holiday episodes").seasons == list(range(1, 8))
    assert (packs.season, packs.seasons, packs.episodes, packs.complete) == (None, [1, 2, 3], [], False)
    fansub = parse_release("[F-D] Fairy Tail Season 1 - 6 + Extras [480P][Dual-Audio]")
    assert (fansub.seasons, fansub.episodes) == ([1, 2, 3, 4, 5, 6], [])
    spanish = parse_release("Game of Thrones 1ª a 8ª Temporada Completa [720p-1080p] [BluRay] [DUAL]")
    assert (spanish.title, spanish.seasons) == ("Game of Thrones", list(range(1, 9)))
    numbered = parse_release("One Punch Man 01 - 12 Season 1 Complete [720p] [Eng Subs]")
    assert numbered.seasons == [1]
    # in other languages the number after the season word is the episode's, the season comes before it
    assert parse_release("Vikings 3 Temporada 720p").seasons == [3]
    assert parse_release("Zvezdnie.Voiny.3.sezon.22.seria.iz.22.XviD.HDRip").seasons == [3]
    # in brackets too, whether the second number is padded or not
    for name in ("Show.Name.[S1-5].1080p.BluRay.x264-GRP", "Show.Name.(S01-05).1080p.BluRay.x264-GRP"):
        assert parse_release(name).seasons == [1, 2, 3, 4, 5]
    spaced = parse_release("Coupling Season 1 - 4 COMPLETE DVDRip - x264")
    assert (spaced.title, spaced.seasons, spaced.episodes, spaced.complete) == (
        "Coupling",
        [1, 2, 3, 4],
        [],
        True,
    )
    # `Complete` ending the title is the pack's word; `Collection` stays (TMDB names collections of films so)
    naruto = parse_release("Naruto Complete [Ep 01 - 220][English][480p]")
    assert (naruto.title, naruto.episodes[-1], naruto.complete) == ("Naruto", 220, True)
    assert parse_release("A Complete Unknown 2024 1080p WEB h264-GRP").title == "A Complete Unknown"
    assert parse_release("The.Collection.2012.1080p.BluRay.x264-GRP").title == "The Collection"
    series = parse_release("Show Name Complete Series 1080p BluRay x264-GRP")
    assert (series.title, series.seasons, series.complete) == ("Show Name", [], True)
    season = parse_release("Sprint.2024.S01.COMPLETE.1080p.WEB.h264-EDITH[TGx]")
    assert (season.season, season.complete) == (1, True)


def test_anime_versions_and_absolute_numbers() -> None:
    second = parse_release("[SubsPlease] Frieren - 12v2 (1080p) [ABCD1234].mkv")
    assert (second.episodes, second.version, second.absolute_episodes, second.group) == (
        [12],
        2,
        True,
        "SubsPlease",
    )
    spaced = parse_release("[Group] Frieren - 12 v2 [ABCD1234].mkv")
    assert (spaced.title, spaced.episodes, spaced.version) == ("Frieren", [12], 2)
    seasoned = parse_release("Show.Name.S02E05.1080p.WEB.h264-GRP")
    assert (seasoned.version, seasoned.absolute_episodes) == (None, False)


@pytest.mark.parametrize(
    ("name", "title", "edition", "languages"),
    [
        ("Show.Name.S01E02.German.DL.720p.WEB.x264-GRP", "Show Name", None, ["de", "multi"]),
        ("Die.Schluempfe.2.German.DL.1080p.BluRay.x264-EXQUiSiTE", "Die Schluempfe 2", None, ["de", "multi"]),
        ("Movie Name Multi 1080p BluRay x264-GRP", "Movie Name", None, ["multi"]),
        ("Movie.Name.2010.Extended.1080p.BluRay.x264-GRP", "Movie Name", "Extended", []),
        ("Movie Name Directors Cut 1080p BluRay x264-GRP", "Movie Name", "Director's Cut", []),
        ("Alien.Director.Cut.Ita.Eng.VP9.Opus-GRP", "Alien", "Director's Cut", ["it", "en"]),
        ("Movie.Name.IMAX.2160p.WEB-DL.x265-GRP", "Movie Name", "IMAX", []),
        ("Show.Name.S01E02.The.Episode.Title.720p.HDTV.x264-GRP", "Show Name", None, []),
        ("[EveTaku] Kyouso Giga ONA v2 [540p][128BAC43].mkv", "Kyouso Giga ONA", None, []),
        ("Shark Tank (AU) - S02E01 - HDTV-720p.mkv", "Shark Tank", None, []),
        # a site's top-level domain is no language
        ("La inocencia [720p][wWw.EliteTorrent.NL].mkv", "La inocencia", None, []),
        ("Black Friday (2021) [BluRay Rip][AC3 5.1][www.atomixHQ.TEL]", "Black Friday", None, []),
        ("Serie - Temporada 1 [HDTV][Cap.101][www.AtomoHD.FI]", "Serie", None, []),
        ("Movie.Name.2019.FRENCH.1080p.BluRay.x264-GRP", "Movie Name", None, ["fr"]),
        # two languages before the tags are tags; one may be the title's
        ("Movie.Name.Ita.Eng.1080p.BluRay.x264-GRP", "Movie Name", None, ["it", "en"]),
        ("Movie Name French English 1080p BluRay x264-GRP", "Movie Name", None, ["fr", "en"]),
        ("Johnny.English.2003.1080p.BluRay.x264-GRP", "Johnny English", None, []),
        ("Johnny English 1080p BluRay x264-GRP", "Johnny English", None, []),
        # a language said in words at the end is the sound's; an article before it makes it a title's
        ("The Lion King 1,2,3 Greek Language", "The Lion King 1,2,3", None, ["el"]),
        ("The.English.Language.Show.S01E01.720p.HDTV.x264-GRP", "The English Language Show", None, []),
        # a three-letter abbreviation before a capitalised word is a first name
        ("Carson Daly 2017 09 13 Dan Harmon 720p HDTV x264-CROOKS", "Carson Daly", None, []),
        ("Movie 2019 Ger Dub 1080p WEB h264-GRP", "Movie", None, ["de"]),
        # another title in brackets after the first, and notes in brackets after the title, are not the title
        ("La Defense Lincoln (The Lincoln Lawyer) 2011 [DVDRIP][Vostfr]", "La Defense Lincoln", None, []),
        ("Youth.In.Revolt.(Be.Bad).2009.MULTI.1080p-GRP", "Youth In Revolt", None, ["multi"]),
        ("[JySzE] Naruto [v2] [R2J] [VFR] [Dual Audio] [Complete] [x264]", "Naruto", None, ["multi"]),
        ("Casablanca [Ultimate Collector's Edition].1942.BRRip.XviD-VLiS", "Casablanca", None, []),
        # but a bracket that spells out an acronym, or has a number in it, is the title's
        ("GTO (Great Teacher Onizuka) (Ep. 1-43) Sub 480p", "GTO (Great Teacher Onizuka)", None, []),
        # a bracket in front is the title when only tags follow it, and a title may begin with a bracket
        ("[REC].2007.1080p.BluRay.x264-GRP", "REC", None, []),
        ("[Taxi 1998] [BDRemux Rutracker.org].mkv", "Taxi", None, []),
        ("(500).Days.of.Summer.2009.1080p.BluRay.x264-GRP", "(500) Days of Summer", None, []),
    ],
)
def test_words_that_are_not_the_title(
    name: str, title: str, edition: str | None, languages: list[str]
) -> None:
    parsed = parse_release(name)
    assert (parsed.title, parsed.edition, parsed.languages) == (title, edition, languages)


@pytest.mark.parametrize(
    ("name", "title", "codec", "group"),
    [
        # tags in a bracket in front are read, though the title comes after them
        ("[h265 - HEVC] Riddick Unrated Director Cut French [1080p DTS].mkv", "Riddick", "x265", None),
        (
            "[aprm-Diogo4D] [BD][HEVC] Nagi no Asukara 08 [4D102B7C].mkv",
            "Nagi no Asukara",
            "x265",
            "aprm-Diogo4D",
        ),
        # with no tag at all, the last bracket is the uploader's
        (
            "[DVDRip-ITA]The Fast and the Furious: Tokyo Drift [CR-Bt]",
            "The Fast and the Furious: Tokyo Drift",
            None,
            "CR-Bt",
        ),
        ("FROZEN [2010] LiMiTED DVDRip H262 AAC[ ENG SUBS]-MANTESH", "FROZEN", "MPEG-2", "MANTESH"),
        # a two-letter code after the last dash is the group
        ("American.Crime.S01E02.1080p.WEB-DL.DD5.1.H.264-NL", "American Crime", "x264", "NL"),
    ],
)
def test_brackets_around_the_title(name: str, title: str, codec: str | None, group: str | None) -> None:
    parsed = parse_release(name)
    assert (parsed.title, parsed.codec, parsed.group) == (title, codec, group)


@pytest.mark.parametrize(
    "name",
    [
        # a Roman numeral's letters in a word, or in lower case, number no season
        "The.Season.Finale.2019.1080p.BluRay.x264-GRP",
        "Season.Ivy.2019.1080p.WEB.h264-GRP",
        "A.Season.in.Hell.1080p.BluRay.x264-GRP",
        "Show.Name.Season.vi.1080p.BluRay.x264-GRP",
    ],
)
def test_words_that_number_no_season(name: str) -> None:
    parsed = parse_release(name)
    assert (parsed.season, parsed.seasons, parsed.episodes) == (None, [], [])


@pytest.mark.parametrize(
    ("name", "title", "source", "codec", "group"),
    [
        # a codec glued to the tag before it
        ("Show.Name.S01E02.HDTVx264-GRP", "Show Name", "HDTV", "x264", "GRP"),
        ("Movie.Name.2019.720p.WEBRip.x265HEVC-GRP", "Movie Name", "WEBRip", "x265", "GRP"),
        ("Movie.Name.2010.DVDRipXviD-GRP", "Movie Name", "DVD", "XviD", "GRP"),
        ("Movie.Name.2019.1080p.WEB-DLx264.AAC-GRP", "Movie Name", "WEB-DL", "x264", "GRP"),
        # a title word ending like a codec stays the title's
        ("Havc.2019.1080p.WEB.h264-GRP", "Havc", "WEB-DL", "x264", "GRP"),
    ],
)
def test_glued_tags(name: str, title: str, source: str, codec: str, group: str) -> None:
    parsed = parse_release(name)
    assert (parsed.title, parsed.source, parsed.codec, parsed.group) == (title, source, codec, group)

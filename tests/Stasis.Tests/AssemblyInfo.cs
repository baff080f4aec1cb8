namespace Stasis.Tests;

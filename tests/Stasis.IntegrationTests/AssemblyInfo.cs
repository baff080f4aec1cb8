namespace Stasis.IntegrationTests;
